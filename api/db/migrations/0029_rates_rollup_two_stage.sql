-- The 三率 rollup's upsert (0025_rates_rollup) in two stages, the same counts: each settled request
-- is first summed with the others of its month and micro-grid chain (district … micro-grid), and
-- only those sums are fanned out to the six levels. Before, every request was fanned out six
-- times and the million rows of a county (issue 12, DEMO_DATA=county) became six million to group:
-- 29 s of its first start on PGlite, now a few.
CREATE OR REPLACE FUNCTION rate_months_upsert(source text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
  SELECT format($q$
    INSERT INTO rate_months AS t (area_id, month, filed, refused, resolved, claim_due, claimed_on_time,
      resolve_due, resolved_on_time, rated, satisfied)
    SELECT * FROM (
      SELECT k.area_id, g.month, sum(g.filed)::int AS filed, sum(g.refused)::int AS refused,
        sum(g.resolved)::int AS resolved, sum(g.claim_due)::int AS claim_due,
        sum(g.claimed_on_time)::int AS claimed_on_time, sum(g.resolve_due)::int AS resolve_due,
        sum(g.resolved_on_time)::int AS resolved_on_time, sum(g.rated)::int AS rated,
        sum(g.satisfied)::int AS satisfied
      FROM (
        SELECT c.month, c.district_id, c.street_id, c.community_id, c.grid_id, c.microgrid_id,
          sum(c.sign)::int AS filed, sum(c.sign * c.refused)::int AS refused, sum(c.sign * c.resolved)::int AS resolved,
          sum(c.sign * c.claim_due)::int AS claim_due, sum(c.sign * c.claimed_on_time)::int AS claimed_on_time,
          sum(c.sign * c.resolve_due)::int AS resolve_due, sum(c.sign * c.resolved_on_time)::int AS resolved_on_time,
          sum(c.sign * c.rated)::int AS rated, sum(c.sign * c.satisfied)::int AS satisfied
        FROM (
          SELECT s.sign, to_char(s.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS month,
            s.district_id, s.street_id, s.community_id, s.grid_id, s.microgrid_id,
            (s.status IN ('rejected', 'duplicate'))::int AS refused,
            (s.status IN ('resolved', 'revisited', 'archived'))::int AS resolved,
            (s.status NOT IN ('rejected', 'duplicate') AND s.claimed_at IS NOT NULL)::int AS claim_due,
            (s.status NOT IN ('rejected', 'duplicate') AND s.claimed_at <= s.claim_deadline IS TRUE)::int AS claimed_on_time,
            (s.status IN ('resolved', 'revisited', 'archived'))::int AS resolve_due,
            (s.status IN ('resolved', 'revisited', 'archived') AND s.resolved_at <= s.resolve_deadline IS TRUE)::int AS resolved_on_time,
            (s.status NOT IN ('rejected', 'duplicate') AND s.rating IS NOT NULL)::int AS rated,
            (s.status NOT IN ('rejected', 'duplicate') AND s.rating > 2 IS TRUE)::int AS satisfied
          FROM (%s) s
          WHERE request_settled(s.status, s.claimed_at)
        ) c
        GROUP BY c.month, c.district_id, c.street_id, c.community_id, c.grid_id, c.microgrid_id
      ) g
      CROSS JOIN LATERAL (VALUES ('*'), (g.district_id), (g.street_id), (g.community_id), (g.grid_id), (g.microgrid_id)) k(area_id)
      WHERE k.area_id IS NOT NULL
      GROUP BY k.area_id, g.month
    ) d
    WHERE (d.filed, d.refused, d.resolved, d.claim_due, d.claimed_on_time, d.resolve_due, d.resolved_on_time, d.rated, d.satisfied)
      <> (0, 0, 0, 0, 0, 0, 0, 0, 0)
    ORDER BY d.area_id, d.month
    ON CONFLICT (area_id, month) DO UPDATE SET
      filed = t.filed + excluded.filed, refused = t.refused + excluded.refused, resolved = t.resolved + excluded.resolved,
      claim_due = t.claim_due + excluded.claim_due, claimed_on_time = t.claimed_on_time + excluded.claimed_on_time,
      resolve_due = t.resolve_due + excluded.resolve_due, resolved_on_time = t.resolved_on_time + excluded.resolved_on_time,
      rated = t.rated + excluded.rated, satisfied = t.satisfied + excluded.satisfied
  $q$, source)
$f$;
