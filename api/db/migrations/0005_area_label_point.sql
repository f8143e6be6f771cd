ALTER TABLE "areas" ADD COLUMN "label_point" geometry(Point,4326);--> statement-breakpoint
-- databases made before this column: place every existing label once
UPDATE "areas" SET "label_point" = (ST_MaximumInscribedCircle("geom")).center WHERE "label_point" IS NULL;
