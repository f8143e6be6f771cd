-- Closed requests per area and day filed (issue 12 §2, api/live/closed-count.ts): a map asks for
-- the closed requests filed in a range of days; at county scale those are tens of thousands of rows
-- a view, here a sum over an area's days. Kept for communities and the levels above (a county's
-- 200 communities × 365 days: ~100,000 rows for 1,000,000 requests); a grid has about one closed
-- request a day, so its sums would be as many rows as the requests: grids are counted row by row.
-- Open = api/contract/vocabulary.ts's openStatuses; the day is the Asia/Shanghai day of
-- created_at, as api/live/viewport.ts filters it.
CREATE TABLE "closed_days" (
	"area_id" text NOT NULL,
	"day" date NOT NULL,
	"closed" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "closed_days_area_id_day_pk" PRIMARY KEY("area_id","day")
);
--> statement-breakpoint
CREATE INDEX "requests_communityless_created_idx" ON "requests" USING btree ("created_at") WHERE community_id IS NULL;

--> statement-breakpoint
-- Adds `source`'s closed requests to closed_days with their sign (+1 added, -1 taken out), once per
-- level down to the community and once for the whole installation ('*'); rows in key order (lock order).
CREATE OR REPLACE FUNCTION closed_days_upsert(source text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
  SELECT format($q$
    INSERT INTO closed_days AS t (area_id, day, closed)
    SELECT * FROM (
      SELECT k.area_id, c.day, sum(c.closed)::int AS closed
      FROM (
        -- per community and day first (a county's million rows → ~100,000), then spread to the levels
        SELECT (s.created_at AT TIME ZONE 'Asia/Shanghai')::date AS day, s.district_id, s.street_id, s.community_id, sum(s.sign) AS closed
        FROM (%s) s
        WHERE s.status NOT IN ('collected', 'claimed', 'deliberating', 'resolving')
        GROUP BY 1, 2, 3, 4
      ) c
      CROSS JOIN LATERAL (VALUES ('*'), (c.district_id), (c.street_id), (c.community_id)) k(area_id)
      WHERE k.area_id IS NOT NULL
      GROUP BY k.area_id, c.day
    ) d
    WHERE d.closed <> 0
    ORDER BY d.area_id, d.day
    ON CONFLICT (area_id, day) DO UPDATE SET closed = t.closed + excluded.closed
  $q$, source)
$f$;
--> statement-breakpoint
-- A write that touches no closed row (filing, claiming) is one cheap look; an edit of a closed row
-- that moves it nowhere nets to zero and writes nothing.
CREATE OR REPLACE FUNCTION closed_days_follow() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  source text;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM closed_days;
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    IF NOT EXISTS (SELECT 1 FROM added WHERE status NOT IN ('collected', 'claimed', 'deliberating', 'resolving')) THEN RETURN NULL; END IF;
    source := 'SELECT 1 AS sign, * FROM added';
  ELSIF TG_OP = 'DELETE' THEN
    IF NOT EXISTS (SELECT 1 FROM removed WHERE status NOT IN ('collected', 'claimed', 'deliberating', 'resolving')) THEN RETURN NULL; END IF;
    source := 'SELECT -1 AS sign, * FROM removed';
  ELSE
    IF NOT EXISTS (SELECT 1 FROM added WHERE status NOT IN ('collected', 'claimed', 'deliberating', 'resolving'))
      AND NOT EXISTS (SELECT 1 FROM removed WHERE status NOT IN ('collected', 'claimed', 'deliberating', 'resolving')) THEN RETURN NULL; END IF;
    source := 'SELECT 1 AS sign, * FROM added UNION ALL SELECT -1 AS sign, * FROM removed';
  END IF;
  EXECUTE closed_days_upsert(source);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER requests_closed_days_insert AFTER INSERT ON requests
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION closed_days_follow();
--> statement-breakpoint
CREATE TRIGGER requests_closed_days_update AFTER UPDATE ON requests
  REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION closed_days_follow();
--> statement-breakpoint
CREATE TRIGGER requests_closed_days_delete AFTER DELETE ON requests
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION closed_days_follow();
--> statement-breakpoint
CREATE TRIGGER requests_closed_days_truncate AFTER TRUNCATE ON requests
  FOR EACH STATEMENT EXECUTE FUNCTION closed_days_follow();
--> statement-breakpoint
-- the requests written before this migration
DO $$ BEGIN EXECUTE closed_days_upsert('SELECT 1 AS sign, * FROM requests'); END $$;
