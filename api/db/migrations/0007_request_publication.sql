ALTER TABLE "requests" ADD COLUMN "published_description" text;--> statement-breakpoint
ALTER TABLE "requests" ADD COLUMN "published_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "requests" ADD COLUMN "published_by" text;