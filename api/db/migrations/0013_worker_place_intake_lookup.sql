ALTER TABLE "requests" ADD COLUMN "building_id" text;--> statement-breakpoint
ALTER TABLE "requests" ADD COLUMN "channel_ref" text;--> statement-breakpoint
ALTER TABLE "requests" ADD COLUMN "reporter_name" text;--> statement-breakpoint
ALTER TABLE "requests" ADD COLUMN "code_failures" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "requests" ADD COLUMN "code_failed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "requests" ADD CONSTRAINT "requests_building_id_buildings_id_fk" FOREIGN KEY ("building_id") REFERENCES "public"."buildings"("id") ON DELETE no action ON UPDATE no action;