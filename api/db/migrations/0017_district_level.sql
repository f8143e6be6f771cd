ALTER TABLE "care_households" ADD COLUMN "district_id" text;--> statement-breakpoint
ALTER TABLE "requests" ADD COLUMN "district_id" text;--> statement-breakpoint
ALTER TABLE "care_households" ADD CONSTRAINT "care_households_district_id_areas_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests" ADD CONSTRAINT "requests_district_id_areas_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "care_households_district_idx" ON "care_households" USING btree ("district_id");--> statement-breakpoint
CREATE INDEX "requests_district_created_idx" ON "requests" USING btree ("district_id","created_at");--> statement-breakpoint
-- A district (区/县) groups streets; a point is never assigned to one by geometry: its district is
-- its street's parent. The database keeps that true for every writer (filing, the demo loader, the
-- care ledger, bulk reassignment after an import) and when an import moves a street to another
-- district, so scope and counts by district read one indexed column like the other levels.
CREATE OR REPLACE FUNCTION set_district_from_street() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.district_id := (SELECT parent_id FROM areas WHERE id = NEW.street_id);
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER requests_district BEFORE INSERT OR UPDATE OF street_id ON requests
  FOR EACH ROW EXECUTE FUNCTION set_district_from_street();
--> statement-breakpoint
CREATE TRIGGER care_households_district BEFORE INSERT OR UPDATE OF street_id ON care_households
  FOR EACH ROW EXECUTE FUNCTION set_district_from_street();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION follow_street_district() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.level = 'street' AND NEW.parent_id IS DISTINCT FROM OLD.parent_id THEN
    UPDATE requests SET district_id = NEW.parent_id WHERE street_id = NEW.id;
    UPDATE care_households SET district_id = NEW.parent_id WHERE street_id = NEW.id;
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER areas_street_district AFTER UPDATE OF parent_id ON areas
  FOR EACH ROW EXECUTE FUNCTION follow_street_district();
--> statement-breakpoint
-- Who sees a request: as `inScope` in api/auth/session.ts, now with a district administrator
CREATE OR REPLACE FUNCTION staff_in_scope(role text, area_id text, level text, r requests) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN role = 'street_admin' AND area_id IS NULL THEN true
    WHEN role NOT IN ('street_admin', 'secretary', 'grid_leader', 'grid_worker', 'microgrid_leader', 'mediator') OR area_id IS NULL THEN false
    WHEN role = 'mediator' AND NOT (r.escalation_level >= 1) THEN false
    WHEN level = 'district' THEN r.district_id IS NOT DISTINCT FROM area_id
    WHEN level = 'street' THEN r.street_id IS NOT DISTINCT FROM area_id
    WHEN level = 'community' THEN r.community_id IS NOT DISTINCT FROM area_id
    WHEN level = 'grid' THEN r.grid_id IS NOT DISTINCT FROM area_id
    WHEN level = 'microgrid' THEN r.microgrid_id IS NOT DISTINCT FROM area_id
    ELSE false
  END
$$;
--> statement-breakpoint
UPDATE requests r SET district_id = a.parent_id FROM areas a WHERE a.id = r.street_id AND a.parent_id IS NOT NULL;
--> statement-breakpoint
UPDATE care_households h SET district_id = a.parent_id FROM areas a WHERE a.id = h.street_id AND a.parent_id IS NOT NULL;
