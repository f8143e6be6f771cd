ALTER TABLE "request_events" ADD COLUMN "xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL;--> statement-breakpoint
CREATE INDEX "request_events_xid_idx" ON "request_events" USING btree ("xid");--> statement-breakpoint
-- The shared-boundary tie-break (smallest id wins) compares ids byte by byte (COLLATE "C"), as
-- api/geo/area-index.ts does in memory: under a zh_CN or en_US collation `ORDER BY id` follows
-- the locale's rules and SQL and memory could pick different siblings for a point on their edge.
CREATE OR REPLACE FUNCTION assign_point(pt geometry)
RETURNS TABLE (street_id text, community_id text, grid_id text, microgrid_id text)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT s.id, c.id, g.id, m.id
  FROM (SELECT a.id FROM areas a WHERE a.level = 'street' AND ST_Covers(a.geom, pt) ORDER BY a.id COLLATE "C" LIMIT 1) s
  LEFT JOIN LATERAL (SELECT a.id FROM areas a WHERE a.level = 'community' AND a.parent_id = s.id
                     AND ST_Covers(a.geom, pt) ORDER BY a.id COLLATE "C" LIMIT 1) c ON true
  LEFT JOIN LATERAL (SELECT a.id FROM areas a WHERE a.level = 'grid' AND a.parent_id = c.id
                     AND ST_Covers(a.geom, pt) ORDER BY a.id COLLATE "C" LIMIT 1) g ON true
  LEFT JOIN LATERAL (SELECT a.id FROM areas a WHERE a.level = 'microgrid' AND a.parent_id = g.id
                     AND ST_Covers(a.geom, pt) ORDER BY a.id COLLATE "C" LIMIT 1) m ON true
$$;
