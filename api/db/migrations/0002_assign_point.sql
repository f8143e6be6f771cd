-- The assignment rule, in one place: a point belongs to the area that covers it (interior OR
-- boundary, ST_Covers), chosen top-down — street, then among that street's communities, then
-- among that community's grids, then micro-grids — and where several siblings cover it (the point
-- lies on their shared boundary) the one with the smallest id wins. So every point inside the
-- street gets exactly one area per level, and the levels always nest.
-- api/geo/area-index.ts implements the same rule in memory for bulk re-assignment.
CREATE OR REPLACE FUNCTION assign_point(pt geometry)
RETURNS TABLE (street_id text, community_id text, grid_id text, microgrid_id text)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT s.id, c.id, g.id, m.id
  FROM (SELECT a.id FROM areas a WHERE a.level = 'street' AND ST_Covers(a.geom, pt) ORDER BY a.id LIMIT 1) s
  LEFT JOIN LATERAL (SELECT a.id FROM areas a WHERE a.level = 'community' AND a.parent_id = s.id
                     AND ST_Covers(a.geom, pt) ORDER BY a.id LIMIT 1) c ON true
  LEFT JOIN LATERAL (SELECT a.id FROM areas a WHERE a.level = 'grid' AND a.parent_id = c.id
                     AND ST_Covers(a.geom, pt) ORDER BY a.id LIMIT 1) g ON true
  LEFT JOIN LATERAL (SELECT a.id FROM areas a WHERE a.level = 'microgrid' AND a.parent_id = g.id
                     AND ST_Covers(a.geom, pt) ORDER BY a.id LIMIT 1) m ON true
$$;
