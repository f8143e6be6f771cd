-- Who hears of an event, found through the staff's area index (staff_area_idx), not by asking
-- staff_in_scope of every member of staff: on a county's 12,561 staff that look took ~20 ms of
-- every filing, the most of its time in the database (docs/scaling.md). The added conditions are
-- what staff_in_scope already requires (an area of the request's, or a street administrator of
-- no area), so the same people are told.
CREATE OR REPLACE FUNCTION notify_staff_of_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r requests;
BEGIN
  IF NEW.action NOT IN ('filed', 'dispatched', 'escalated', 'reopened', 'status') THEN RETURN NEW; END IF;
  SELECT * INTO r FROM requests WHERE id = NEW.request_id;
  IF NEW.action = 'filed' THEN
    -- the people of the grid (or micro-grid) it landed in
    INSERT INTO notifications (recipient_id, kind, request_id, event_id)
    SELECT s.id, 'new_request', r.id, NEW.id FROM staff s JOIN areas a ON a.id = s.area_id
    WHERE s.area_id IN (r.grid_id, r.microgrid_id) AND a.level IN ('grid', 'microgrid') AND staff_in_scope(s.role, s.area_id, a.level, r);
  ELSIF NEW.action = 'dispatched' AND r.assignee_id IS NOT NULL AND r.assignee_id <> NEW.actor THEN
    INSERT INTO notifications (recipient_id, kind, request_id, event_id) VALUES (r.assignee_id, 'dispatched', r.id, NEW.id);
  END IF;
  IF NEW.action IN ('escalated', 'reopened') THEN
    -- the people of the level it now stands at (1 mediator, 2 community, 3 street) whose scope holds it
    INSERT INTO notifications (recipient_id, kind, request_id, event_id, level)
    SELECT s.id, 'escalated', r.id, NEW.id, r.escalation_level FROM staff s LEFT JOIN areas a ON a.id = s.area_id
    WHERE s.role = (ARRAY['grid_worker', 'mediator', 'secretary', 'street_admin'])[r.escalation_level + 1]
      AND (s.area_id IS NULL OR s.area_id IN (r.district_id, r.street_id, r.community_id, r.grid_id, r.microgrid_id))
      AND s.id <> NEW.actor AND staff_in_scope(s.role, s.area_id, a.level, r);
  END IF;
  IF NEW.action = 'reopened' AND r.assignee_id IS NOT NULL THEN
    -- a rating of 1 or 2 stars reopens the request: whoever handled it hears of it
    INSERT INTO notifications (recipient_id, kind, request_id, event_id) VALUES (r.assignee_id, 'bad_rating', r.id, NEW.id);
  END IF;
  IF NEW.to_status = 'resolved' AND NEW.from_status IS DISTINCT FROM 'resolved' AND r.contact IS NOT NULL
     AND EXISTS (SELECT 1 FROM meta WHERE key = 'outbox_channels' AND value ? 'sms') THEN
    INSERT INTO outbox (channel, kind, request_id) VALUES ('sms', 'resolved', r.id);
  END IF;
  RETURN NEW;
END $$;
