CREATE INDEX "requests_street_created_idx" ON "requests" USING btree ("street_id","created_at");--> statement-breakpoint
CREATE INDEX "requests_community_created_idx" ON "requests" USING btree ("community_id","created_at");--> statement-breakpoint
CREATE INDEX "requests_grid_created_idx" ON "requests" USING btree ("grid_id","created_at");