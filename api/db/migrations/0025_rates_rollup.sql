-- The 三率 rollup (issue 11 §4, docs/rates.md#the-rollup). A request is SETTLED when its part in
-- every rate no longer depends on the time it is judged at: refused (rejected, duplicate: outside
-- every rate), or resolved (resolved, revisited, archived) after being claimed. Its counts are kept
-- per area and month in rate_months; an open request (and a resolved one never claimed, whose
-- claim is due only once its deadline passes) is counted live, from the partial indexes below.
-- A settled request can still change (a poor rating reopens it, an area import moves it): the
-- trigger at the end moves its old counts out and its new ones in, in the writing statement.
-- The statuses are api/contract/vocabulary.ts's resolvedStatuses and refusedStatuses.
CREATE OR REPLACE FUNCTION request_settled(status text, claimed_at timestamptz) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT status IN ('rejected', 'duplicate') OR (status IN ('resolved', 'revisited', 'archived') AND claimed_at IS NOT NULL)
$$;
--> statement-breakpoint
CREATE TABLE "rate_months" (
	"area_id" text NOT NULL,
	"month" text NOT NULL,
	"filed" integer DEFAULT 0 NOT NULL,
	"refused" integer DEFAULT 0 NOT NULL,
	"resolved" integer DEFAULT 0 NOT NULL,
	"claim_due" integer DEFAULT 0 NOT NULL,
	"claimed_on_time" integer DEFAULT 0 NOT NULL,
	"resolve_due" integer DEFAULT 0 NOT NULL,
	"resolved_on_time" integer DEFAULT 0 NOT NULL,
	"rated" integer DEFAULT 0 NOT NULL,
	"satisfied" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "rate_months_area_id_month_pk" PRIMARY KEY("area_id","month")
);
--> statement-breakpoint
CREATE INDEX "requests_unsettled_created_idx" ON "requests" USING btree ("created_at") WHERE NOT request_settled(status, claimed_at);--> statement-breakpoint
CREATE INDEX "requests_unsettled_district_idx" ON "requests" USING btree ("district_id","created_at") WHERE NOT request_settled(status, claimed_at);--> statement-breakpoint
CREATE INDEX "requests_unsettled_street_idx" ON "requests" USING btree ("street_id","created_at") WHERE NOT request_settled(status, claimed_at);--> statement-breakpoint
CREATE INDEX "requests_unsettled_community_idx" ON "requests" USING btree ("community_id","created_at") WHERE NOT request_settled(status, claimed_at);--> statement-breakpoint
CREATE INDEX "requests_unsettled_grid_idx" ON "requests" USING btree ("grid_id","created_at") WHERE NOT request_settled(status, claimed_at);
--> statement-breakpoint
-- The upsert that adds `source`'s settled requests to rate_months, each with its sign (+1 added,
-- -1 taken out), once per level it lies in and once for the whole installation ('*'). Its counts
-- are api/rates/rates.ts countsSql with the time left out: a settled request that is kept was
-- claimed and resolved, so its claim and its resolution are due whatever the time; the rating
-- threshold 2 is ratingRange.reopenAtMost. A change that moves no count writes no row (an edit
-- of a description touches nothing here); rows are written in key order, so two transactions
-- take their row locks in the same order.
CREATE OR REPLACE FUNCTION rate_months_upsert(source text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
  SELECT format($q$
    INSERT INTO rate_months AS t (area_id, month, filed, refused, resolved, claim_due, claimed_on_time,
      resolve_due, resolved_on_time, rated, satisfied)
    SELECT * FROM (
      SELECT k.area_id, c.month, sum(c.sign)::int AS filed, sum(c.sign * c.refused)::int AS refused,
        sum(c.sign * c.resolved)::int AS resolved, sum(c.sign * c.claim_due)::int AS claim_due,
        sum(c.sign * c.claimed_on_time)::int AS claimed_on_time, sum(c.sign * c.resolve_due)::int AS resolve_due,
        sum(c.sign * c.resolved_on_time)::int AS resolved_on_time, sum(c.sign * c.rated)::int AS rated,
        sum(c.sign * c.satisfied)::int AS satisfied
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
      CROSS JOIN LATERAL (VALUES ('*'), (c.district_id), (c.street_id), (c.community_id), (c.grid_id), (c.microgrid_id)) k(area_id)
      WHERE k.area_id IS NOT NULL
      GROUP BY k.area_id, c.month
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
--> statement-breakpoint
-- One statement trigger per kind of change, each with its transition tables (PostgreSQL allows
-- them on a trigger of one event only): a bulk insert or reassignment is one grouped upsert, not
-- one per row. EXECUTE sees the transition tables of the trigger that runs it.
CREATE OR REPLACE FUNCTION rate_months_follow() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  source text;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM rate_months;
    RETURN NULL;
  END IF;
  -- most writes (filing, claiming, escalating an open request) touch no settled row: a cheap look
  -- first, on plans kept for the session, before the upsert's own (planned each time, EXECUTE).
  -- Nested IFs: a transition table the trigger lacks must not be named in a statement it runs.
  IF TG_OP = 'INSERT' THEN
    IF NOT EXISTS (SELECT 1 FROM added WHERE request_settled(status, claimed_at)) THEN RETURN NULL; END IF;
    source := 'SELECT 1 AS sign, * FROM added';
  ELSIF TG_OP = 'DELETE' THEN
    IF NOT EXISTS (SELECT 1 FROM removed WHERE request_settled(status, claimed_at)) THEN RETURN NULL; END IF;
    source := 'SELECT -1 AS sign, * FROM removed';
  ELSE
    IF NOT EXISTS (SELECT 1 FROM added WHERE request_settled(status, claimed_at))
      AND NOT EXISTS (SELECT 1 FROM removed WHERE request_settled(status, claimed_at)) THEN RETURN NULL; END IF;
    source := 'SELECT 1 AS sign, * FROM added UNION ALL SELECT -1 AS sign, * FROM removed';
  END IF;
  EXECUTE rate_months_upsert(source);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER requests_rate_months_insert AFTER INSERT ON requests
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION rate_months_follow();
--> statement-breakpoint
CREATE TRIGGER requests_rate_months_update AFTER UPDATE ON requests
  REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION rate_months_follow();
--> statement-breakpoint
CREATE TRIGGER requests_rate_months_delete AFTER DELETE ON requests
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION rate_months_follow();
--> statement-breakpoint
CREATE TRIGGER requests_rate_months_truncate AFTER TRUNCATE ON requests
  FOR EACH STATEMENT EXECUTE FUNCTION rate_months_follow();
--> statement-breakpoint
-- the requests written before this migration
DO $$ BEGIN EXECUTE rate_months_upsert('SELECT 1 AS sign, * FROM requests'); END $$;
