CREATE TABLE "care_colour_changes" (
	"id" serial PRIMARY KEY NOT NULL,
	"household_id" integer NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"staff_id" text,
	"colour_before" text,
	"colour_after" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "list_wishes" ADD COLUMN "offer_name" text;--> statement-breakpoint
ALTER TABLE "list_wishes" ADD COLUMN "offer_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "list_wishes" ADD COLUMN "claimant_phone_sealed" text;--> statement-breakpoint
ALTER TABLE "care_colour_changes" ADD CONSTRAINT "care_colour_changes_household_id_care_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."care_households"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_colour_changes" ADD CONSTRAINT "care_colour_changes_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "care_colour_changes_household_idx" ON "care_colour_changes" USING btree ("household_id","at");