ALTER TABLE "buildings" ADD COLUMN "grid_id" text;--> statement-breakpoint
ALTER TABLE "buildings" ADD CONSTRAINT "buildings_grid_id_areas_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "buildings_grid_idx" ON "buildings" USING btree ("grid_id");--> statement-breakpoint
CREATE INDEX "care_visits_building_idx" ON "care_visits" USING btree ("building_id","at");--> statement-breakpoint
-- Visit coverage (issue 11 §3, docs/visits.md): a building's grid is stored, not found spatially at
-- each coverage read. It is the grid of its point on surface by the rule requests and households
-- follow (assign_point): set here when a building is written without one (an import, the map
-- editor, the demo) and whenever its outline moves; an area import or reshape re-assigns every
-- building in its own transaction (api/import/areas.ts). A writer that knows the grid (the county
-- demo, which lays buildings out cell by cell) may give it.
CREATE OR REPLACE FUNCTION set_building_grid() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' OR NEW.grid_id IS NULL THEN
    NEW.grid_id := (SELECT a.grid_id FROM assign_point(ST_PointOnSurface(NEW.geom)) a);
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER buildings_grid BEFORE INSERT OR UPDATE OF geom ON buildings
  FOR EACH ROW EXECUTE FUNCTION set_building_grid();
--> statement-breakpoint
UPDATE buildings b SET grid_id = a.grid_id FROM buildings o CROSS JOIN LATERAL assign_point(ST_PointOnSurface(o.geom)) a WHERE b.id = o.id;
