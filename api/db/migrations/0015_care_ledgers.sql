CREATE TABLE "care_households" (
	"id" serial PRIMARY KEY NOT NULL,
	"street_id" text,
	"community_id" text,
	"grid_id" text,
	"microgrid_id" text,
	"building_id" text,
	"name_sealed" text NOT NULL,
	"name_index" text NOT NULL,
	"id_number_sealed" text,
	"phone_sealed" text,
	"room_sealed" text,
	"notes_sealed" text,
	"scheme" text DEFAULT 'five' NOT NULL,
	"colour" text NOT NULL,
	"categories" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"worker_id" text,
	"geom" geometry(Point,4326) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "care_visits" (
	"id" serial PRIMARY KEY NOT NULL,
	"household_id" integer NOT NULL,
	"worker_id" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"finding_sealed" text NOT NULL,
	"colour_before" text,
	"colour_after" text
);
--> statement-breakpoint
ALTER TABLE "care_households" ADD CONSTRAINT "care_households_street_id_areas_id_fk" FOREIGN KEY ("street_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_households" ADD CONSTRAINT "care_households_community_id_areas_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_households" ADD CONSTRAINT "care_households_grid_id_areas_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_households" ADD CONSTRAINT "care_households_microgrid_id_areas_id_fk" FOREIGN KEY ("microgrid_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_households" ADD CONSTRAINT "care_households_building_id_buildings_id_fk" FOREIGN KEY ("building_id") REFERENCES "public"."buildings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_households" ADD CONSTRAINT "care_households_worker_id_staff_id_fk" FOREIGN KEY ("worker_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_visits" ADD CONSTRAINT "care_visits_household_id_care_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."care_households"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_visits" ADD CONSTRAINT "care_visits_worker_id_staff_id_fk" FOREIGN KEY ("worker_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "care_households_grid_idx" ON "care_households" USING btree ("grid_id");--> statement-breakpoint
CREATE INDEX "care_households_community_idx" ON "care_households" USING btree ("community_id");--> statement-breakpoint
CREATE INDEX "care_households_street_idx" ON "care_households" USING btree ("street_id");--> statement-breakpoint
CREATE INDEX "care_households_worker_idx" ON "care_households" USING btree ("worker_id");--> statement-breakpoint
CREATE INDEX "care_households_name_idx" ON "care_households" USING btree ("name_index");--> statement-breakpoint
CREATE INDEX "care_visits_household_idx" ON "care_visits" USING btree ("household_id","at");