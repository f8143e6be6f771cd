CREATE TABLE "list_needs" (
	"id" serial PRIMARY KEY NOT NULL,
	"street_id" text,
	"community_id" text,
	"grid_id" text NOT NULL,
	"building_id" text,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"households" integer DEFAULT 1 NOT NULL,
	"detail_sealed" text,
	"household_sealed" text,
	"source" text NOT NULL,
	"source_ref" text,
	"request_id" integer,
	"status" text DEFAULT 'open' NOT NULL,
	"geom" geometry(Point,4326) NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "list_project_needs" (
	"project_id" integer NOT NULL,
	"need_id" integer NOT NULL,
	CONSTRAINT "list_project_needs_project_id_need_id_pk" PRIMARY KEY("project_id","need_id")
);
--> statement-breakpoint
CREATE TABLE "list_project_progress" (
	"id" serial PRIMARY KEY NOT NULL,
	"project_id" integer NOT NULL,
	"month" text NOT NULL,
	"note" text NOT NULL,
	"participants" integer,
	"author" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "list_project_resources" (
	"project_id" integer NOT NULL,
	"resource_id" integer NOT NULL,
	CONSTRAINT "list_project_resources_project_id_resource_id_pk" PRIMARY KEY("project_id","resource_id")
);
--> statement-breakpoint
CREATE TABLE "list_projects" (
	"id" serial PRIMARY KEY NOT NULL,
	"street_id" text,
	"community_id" text,
	"title" text NOT NULL,
	"summary" text,
	"status" text DEFAULT 'planned' NOT NULL,
	"starts_on" text,
	"ends_on" text,
	"participants" integer,
	"outcome" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "list_resources" (
	"id" serial PRIMARY KEY NOT NULL,
	"street_id" text,
	"community_id" text,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"offers" text NOT NULL,
	"contact_name" text,
	"contact_phone" text,
	"availability" text,
	"poi_id" text,
	"geom" geometry(Point,4326),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "list_wishes" (
	"id" serial PRIMARY KEY NOT NULL,
	"street_id" text,
	"community_id" text,
	"grid_id" text NOT NULL,
	"building_id" text,
	"wish_sealed" text NOT NULL,
	"household_sealed" text,
	"public_summary" text,
	"status" text DEFAULT 'posted' NOT NULL,
	"claimant_kind" text,
	"claimant_name" text,
	"claimant_resource_id" integer,
	"note" text,
	"claimed_at" timestamp with time zone,
	"fulfilled_at" timestamp with time zone,
	"confirmed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "list_needs" ADD CONSTRAINT "list_needs_street_id_areas_id_fk" FOREIGN KEY ("street_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_needs" ADD CONSTRAINT "list_needs_community_id_areas_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_needs" ADD CONSTRAINT "list_needs_grid_id_areas_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_needs" ADD CONSTRAINT "list_needs_building_id_buildings_id_fk" FOREIGN KEY ("building_id") REFERENCES "public"."buildings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_needs" ADD CONSTRAINT "list_needs_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_project_needs" ADD CONSTRAINT "list_project_needs_project_id_list_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."list_projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_project_needs" ADD CONSTRAINT "list_project_needs_need_id_list_needs_id_fk" FOREIGN KEY ("need_id") REFERENCES "public"."list_needs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_project_progress" ADD CONSTRAINT "list_project_progress_project_id_list_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."list_projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_project_resources" ADD CONSTRAINT "list_project_resources_project_id_list_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."list_projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_project_resources" ADD CONSTRAINT "list_project_resources_resource_id_list_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."list_resources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_projects" ADD CONSTRAINT "list_projects_street_id_areas_id_fk" FOREIGN KEY ("street_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_projects" ADD CONSTRAINT "list_projects_community_id_areas_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_resources" ADD CONSTRAINT "list_resources_street_id_areas_id_fk" FOREIGN KEY ("street_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_resources" ADD CONSTRAINT "list_resources_community_id_areas_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_resources" ADD CONSTRAINT "list_resources_poi_id_pois_id_fk" FOREIGN KEY ("poi_id") REFERENCES "public"."pois"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_wishes" ADD CONSTRAINT "list_wishes_street_id_areas_id_fk" FOREIGN KEY ("street_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_wishes" ADD CONSTRAINT "list_wishes_community_id_areas_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_wishes" ADD CONSTRAINT "list_wishes_grid_id_areas_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_wishes" ADD CONSTRAINT "list_wishes_building_id_buildings_id_fk" FOREIGN KEY ("building_id") REFERENCES "public"."buildings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_wishes" ADD CONSTRAINT "list_wishes_claimant_resource_id_list_resources_id_fk" FOREIGN KEY ("claimant_resource_id") REFERENCES "public"."list_resources"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "list_needs_grid_idx" ON "list_needs" USING btree ("grid_id");--> statement-breakpoint
CREATE INDEX "list_needs_community_idx" ON "list_needs" USING btree ("community_id");--> statement-breakpoint
CREATE INDEX "list_project_needs_need_idx" ON "list_project_needs" USING btree ("need_id");--> statement-breakpoint
CREATE INDEX "list_project_progress_project_idx" ON "list_project_progress" USING btree ("project_id","month");--> statement-breakpoint
CREATE INDEX "list_project_resources_resource_idx" ON "list_project_resources" USING btree ("resource_id");--> statement-breakpoint
CREATE INDEX "list_projects_community_idx" ON "list_projects" USING btree ("community_id");--> statement-breakpoint
CREATE INDEX "list_resources_community_idx" ON "list_resources" USING btree ("community_id");--> statement-breakpoint
CREATE INDEX "list_wishes_grid_idx" ON "list_wishes" USING btree ("grid_id");--> statement-breakpoint
CREATE INDEX "list_wishes_community_idx" ON "list_wishes" USING btree ("community_id","status");