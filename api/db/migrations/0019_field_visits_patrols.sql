CREATE TABLE "patrol_points" (
	"id" serial PRIMARY KEY NOT NULL,
	"patrol_id" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"accuracy" real,
	"geom" geometry(Point,4326) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "patrols" (
	"id" serial PRIMARY KEY NOT NULL,
	"worker_id" text NOT NULL,
	"street_id" text,
	"community_id" text,
	"grid_id" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "visit_photos" (
	"id" serial PRIMARY KEY NOT NULL,
	"visit_id" integer NOT NULL,
	"mime" text NOT NULL,
	"bytes" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "zero_reports" (
	"id" serial PRIMARY KEY NOT NULL,
	"worker_id" text NOT NULL,
	"day" date NOT NULL,
	"street_id" text,
	"community_id" text,
	"grid_id" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "care_visits" ALTER COLUMN "household_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "care_visits" ADD COLUMN "building_id" text;--> statement-breakpoint
ALTER TABLE "care_visits" ADD COLUMN "street_id" text;--> statement-breakpoint
ALTER TABLE "care_visits" ADD COLUMN "community_id" text;--> statement-breakpoint
ALTER TABLE "care_visits" ADD COLUMN "grid_id" text;--> statement-breakpoint
ALTER TABLE "care_visits" ADD COLUMN "microgrid_id" text;--> statement-breakpoint
ALTER TABLE "care_visits" ADD COLUMN "patrol_id" integer;--> statement-breakpoint
ALTER TABLE "care_visits" ADD COLUMN "request_id" integer;--> statement-breakpoint
ALTER TABLE "patrol_points" ADD CONSTRAINT "patrol_points_patrol_id_patrols_id_fk" FOREIGN KEY ("patrol_id") REFERENCES "public"."patrols"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patrols" ADD CONSTRAINT "patrols_worker_id_staff_id_fk" FOREIGN KEY ("worker_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patrols" ADD CONSTRAINT "patrols_street_id_areas_id_fk" FOREIGN KEY ("street_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patrols" ADD CONSTRAINT "patrols_community_id_areas_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patrols" ADD CONSTRAINT "patrols_grid_id_areas_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit_photos" ADD CONSTRAINT "visit_photos_visit_id_care_visits_id_fk" FOREIGN KEY ("visit_id") REFERENCES "public"."care_visits"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "zero_reports" ADD CONSTRAINT "zero_reports_worker_id_staff_id_fk" FOREIGN KEY ("worker_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "zero_reports" ADD CONSTRAINT "zero_reports_street_id_areas_id_fk" FOREIGN KEY ("street_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "zero_reports" ADD CONSTRAINT "zero_reports_community_id_areas_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "zero_reports" ADD CONSTRAINT "zero_reports_grid_id_areas_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "patrol_points_patrol_idx" ON "patrol_points" USING btree ("patrol_id","at");--> statement-breakpoint
CREATE INDEX "patrols_worker_idx" ON "patrols" USING btree ("worker_id","started_at");--> statement-breakpoint
CREATE INDEX "patrols_grid_idx" ON "patrols" USING btree ("grid_id","started_at");--> statement-breakpoint
CREATE INDEX "visit_photos_visit_idx" ON "visit_photos" USING btree ("visit_id");--> statement-breakpoint
CREATE UNIQUE INDEX "zero_reports_worker_day_idx" ON "zero_reports" USING btree ("worker_id","day");--> statement-breakpoint
CREATE INDEX "zero_reports_grid_idx" ON "zero_reports" USING btree ("grid_id","day");--> statement-breakpoint
ALTER TABLE "care_visits" ADD CONSTRAINT "care_visits_building_id_buildings_id_fk" FOREIGN KEY ("building_id") REFERENCES "public"."buildings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_visits" ADD CONSTRAINT "care_visits_street_id_areas_id_fk" FOREIGN KEY ("street_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_visits" ADD CONSTRAINT "care_visits_community_id_areas_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_visits" ADD CONSTRAINT "care_visits_grid_id_areas_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_visits" ADD CONSTRAINT "care_visits_microgrid_id_areas_id_fk" FOREIGN KEY ("microgrid_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_visits" ADD CONSTRAINT "care_visits_patrol_id_patrols_id_fk" FOREIGN KEY ("patrol_id") REFERENCES "public"."patrols"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_visits" ADD CONSTRAINT "care_visits_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "care_visits_grid_idx" ON "care_visits" USING btree ("grid_id","at");--> statement-breakpoint
CREATE INDEX "care_visits_community_idx" ON "care_visits" USING btree ("community_id","at");--> statement-breakpoint
CREATE INDEX "care_visits_street_idx" ON "care_visits" USING btree ("street_id","at");--> statement-breakpoint
CREATE INDEX "care_visits_patrol_idx" ON "care_visits" USING btree ("patrol_id");--> statement-breakpoint
ALTER TABLE "care_visits" ADD CONSTRAINT "care_visits_place" CHECK ("care_visits"."household_id" IS NOT NULL OR "care_visits"."building_id" IS NOT NULL);--> statement-breakpoint
-- the care visits written before: their place is their household's (docs/visits.md)
UPDATE "care_visits" v SET "building_id" = h."building_id", "street_id" = h."street_id", "community_id" = h."community_id",
	"grid_id" = h."grid_id", "microgrid_id" = h."microgrid_id"
FROM "care_households" h WHERE h."id" = v."household_id";
