-- The wall's daily figures (issue 12 §2, api/live/stats.ts): how many requests were resolved each
-- day of the last 30, and how residents rated them, read from the requests' audit trail took a
-- county's wall 1–2 s (80,000 resolution events a month among 5.6 million). closed_days, the map's
-- closed requests by day filed (migration closed_days), becomes day_counts and keeps them beside:
--   closed      closed requests FILED that day (as before)
--   resolved    requests RESOLVED that day and resolved still (resolved, revisited, archived;
--               resolved_at, which a reopening clears: one a resident reopened is not counted as done)
--   rated       requests whose rating was GIVEN that day (rated_at, new here), and rating_sum
-- per community and the levels above, and '*' for the whole installation; a grid's few requests
-- are counted from the rows. One trigger and one upsert for the three: a write that touches no
-- closed and no rated row (filing, claiming) is still one cheap look.
ALTER TABLE "requests" ADD COLUMN "rated_at" timestamp with time zone;
--> statement-breakpoint
DROP TRIGGER requests_closed_days_insert ON requests;
--> statement-breakpoint
DROP TRIGGER requests_closed_days_update ON requests;
--> statement-breakpoint
DROP TRIGGER requests_closed_days_delete ON requests;
--> statement-breakpoint
DROP TRIGGER requests_closed_days_truncate ON requests;
--> statement-breakpoint
DROP FUNCTION closed_days_follow();
--> statement-breakpoint
DROP FUNCTION closed_days_upsert(text);
--> statement-breakpoint
-- a rating's time is its audit event ('rated', or 'reopened' for a poor one): the latest, which
-- gave the rating the row holds; a row rated before the audit trail kept ratings has its last change.
-- The triggers are off meanwhile: rated_at moves none of rate_months' counts, and day_counts is
-- built afresh below
ALTER TABLE requests DISABLE TRIGGER USER;
--> statement-breakpoint
UPDATE requests r SET rated_at = coalesce(
  (SELECT max(e.at) FROM request_events e WHERE e.request_id = r.id AND e.action IN ('rated', 'reopened')), r.updated_at)
WHERE r.rating IS NOT NULL;
--> statement-breakpoint
ALTER TABLE requests ENABLE TRIGGER USER;
--> statement-breakpoint
ALTER TABLE "requests" ADD CONSTRAINT "requests_rated_at_with_rating" CHECK ((rating IS NULL) = (rated_at IS NULL));
--> statement-breakpoint
DROP INDEX "requests_rated_updated_idx";
--> statement-breakpoint
ALTER TABLE "closed_days" RENAME TO "day_counts";
--> statement-breakpoint
ALTER TABLE "day_counts" RENAME CONSTRAINT "closed_days_area_id_day_pk" TO "day_counts_area_id_day_pk";
--> statement-breakpoint
ALTER TABLE "day_counts" ADD COLUMN "resolved" integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE "day_counts" ADD COLUMN "rated" integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE "day_counts" ADD COLUMN "rating_sum" integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
-- Adds `source`'s rows to day_counts with their sign (+1 added, -1 taken out): each row once on
-- the day it was filed if closed, on the day it was resolved if resolved still, on the day it was
-- rated if rated; per community and day first, then spread to the levels above and '*'. Rows in
-- key order (lock order); a change that nets to nothing writes nothing.
CREATE OR REPLACE FUNCTION day_counts_upsert(source text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
  SELECT format($q$
    WITH s AS MATERIALIZED (%s),
    c AS (
      SELECT day, district_id, street_id, community_id,
        sum(closed) AS closed, sum(resolved) AS resolved, sum(rated) AS rated, sum(rating_sum) AS rating_sum
      FROM (
        SELECT (s.created_at AT TIME ZONE 'Asia/Shanghai')::date AS day, s.district_id, s.street_id, s.community_id,
          s.sign AS closed, 0 AS resolved, 0 AS rated, 0 AS rating_sum
        FROM s WHERE s.status NOT IN ('collected', 'claimed', 'deliberating', 'resolving')
        UNION ALL
        SELECT (s.resolved_at AT TIME ZONE 'Asia/Shanghai')::date, s.district_id, s.street_id, s.community_id, 0, s.sign, 0, 0
        FROM s WHERE s.status IN ('resolved', 'revisited', 'archived') AND s.resolved_at IS NOT NULL
        UNION ALL
        SELECT (s.rated_at AT TIME ZONE 'Asia/Shanghai')::date, s.district_id, s.street_id, s.community_id, 0, 0, s.sign, s.sign * s.rating
        FROM s WHERE s.rating IS NOT NULL
      ) x
      GROUP BY 1, 2, 3, 4
    )
    INSERT INTO day_counts AS t (area_id, day, closed, resolved, rated, rating_sum)
    SELECT * FROM (
      SELECT k.area_id, c.day, sum(c.closed)::int AS closed, sum(c.resolved)::int AS resolved,
        sum(c.rated)::int AS rated, sum(c.rating_sum)::int AS rating_sum
      FROM c CROSS JOIN LATERAL (VALUES ('*'), (c.district_id), (c.street_id), (c.community_id)) k(area_id)
      WHERE k.area_id IS NOT NULL
      GROUP BY k.area_id, c.day
    ) d
    WHERE (d.closed, d.resolved, d.rated, d.rating_sum) <> (0, 0, 0, 0)
    ORDER BY d.area_id, d.day
    ON CONFLICT (area_id, day) DO UPDATE SET closed = t.closed + excluded.closed, resolved = t.resolved + excluded.resolved,
      rated = t.rated + excluded.rated, rating_sum = t.rating_sum + excluded.rating_sum
  $q$, source)
$f$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION day_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  source text;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM day_counts;
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    IF NOT EXISTS (SELECT 1 FROM added WHERE status NOT IN ('collected', 'claimed', 'deliberating', 'resolving') OR rating IS NOT NULL) THEN RETURN NULL; END IF;
    source := 'SELECT 1 AS sign, * FROM added';
  ELSIF TG_OP = 'DELETE' THEN
    IF NOT EXISTS (SELECT 1 FROM removed WHERE status NOT IN ('collected', 'claimed', 'deliberating', 'resolving') OR rating IS NOT NULL) THEN RETURN NULL; END IF;
    source := 'SELECT -1 AS sign, * FROM removed';
  ELSE
    IF NOT EXISTS (SELECT 1 FROM added WHERE status NOT IN ('collected', 'claimed', 'deliberating', 'resolving') OR rating IS NOT NULL)
      AND NOT EXISTS (SELECT 1 FROM removed WHERE status NOT IN ('collected', 'claimed', 'deliberating', 'resolving') OR rating IS NOT NULL) THEN RETURN NULL; END IF;
    source := 'SELECT 1 AS sign, * FROM added UNION ALL SELECT -1 AS sign, * FROM removed';
  END IF;
  EXECUTE day_counts_upsert(source);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER requests_day_counts_insert AFTER INSERT ON requests
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION day_counts_follow();
--> statement-breakpoint
CREATE TRIGGER requests_day_counts_update AFTER UPDATE ON requests
  REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION day_counts_follow();
--> statement-breakpoint
CREATE TRIGGER requests_day_counts_delete AFTER DELETE ON requests
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION day_counts_follow();
--> statement-breakpoint
CREATE TRIGGER requests_day_counts_truncate AFTER TRUNCATE ON requests
  FOR EACH STATEMENT EXECUTE FUNCTION day_counts_follow();
--> statement-breakpoint
-- the requests written before this migration
DELETE FROM day_counts;
--> statement-breakpoint
DO $$ BEGIN EXECUTE day_counts_upsert('SELECT 1 AS sign, * FROM requests'); END $$;
