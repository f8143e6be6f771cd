CREATE TABLE "notifications" (
	"id" serial PRIMARY KEY NOT NULL,
	"recipient_id" text NOT NULL,
	"kind" text NOT NULL,
	"request_id" integer NOT NULL,
	"event_id" integer,
	"due_at" timestamp with time zone,
	"level" smallint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" serial PRIMARY KEY NOT NULL,
	"channel" text NOT NULL,
	"kind" text NOT NULL,
	"request_id" integer NOT NULL,
	"staff_id" text,
	"notification_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" smallint DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"failed_at" timestamp with time zone,
	"last_error" text
);
--> statement-breakpoint
ALTER TABLE "staff" ADD COLUMN "email" text;--> statement-breakpoint
ALTER TABLE "staff" ADD COLUMN "notify_sms" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_recipient_id_staff_id_fk" FOREIGN KEY ("recipient_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notifications_recipient_idx" ON "notifications" USING btree ("recipient_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_deadline_idx" ON "notifications" USING btree ("recipient_id","request_id","due_at") WHERE kind = 'deadline_soon';--> statement-breakpoint
CREATE INDEX "outbox_due_idx" ON "outbox" USING btree ("next_attempt_at") WHERE sent_at IS NULL AND failed_at IS NULL;--> statement-breakpoint
-- Who sees a request: the same rule as `inScope` in api/auth/session.ts (tests/api/notifications.test.ts
-- checks the two agree on every demo staff member and request). `level` is the staff member's area level.
CREATE OR REPLACE FUNCTION staff_in_scope(role text, area_id text, level text, r requests) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN role = 'street_admin' AND area_id IS NULL THEN true
    WHEN role NOT IN ('street_admin', 'secretary', 'grid_leader', 'grid_worker', 'microgrid_leader', 'mediator') OR area_id IS NULL THEN false
    WHEN role = 'mediator' AND NOT (r.escalation_level >= 1) THEN false
    WHEN level = 'street' THEN r.street_id IS NOT DISTINCT FROM area_id
    WHEN level = 'community' THEN r.community_id IS NOT DISTINCT FROM area_id
    WHEN level = 'grid' THEN r.grid_id IS NOT DISTINCT FROM area_id
    WHEN level = 'microgrid' THEN r.microgrid_id IS NOT DISTINCT FROM area_id
    ELSE false
  END
$$;
--> statement-breakpoint
-- Staff are told of an audit event in the event's own transaction: whatever writes the event (a
-- filing, a move, the escalation job, a script) writes their notifications with it, or neither.
-- A resident who left a number is sent an SMS when their request is resolved, if an SMS sender is
-- configured (the server keeps the configured channels in meta 'outbox_channels').
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
    WHERE a.level IN ('grid', 'microgrid') AND staff_in_scope(s.role, s.area_id, a.level, r);
  ELSIF NEW.action = 'dispatched' AND r.assignee_id IS NOT NULL AND r.assignee_id <> NEW.actor THEN
    INSERT INTO notifications (recipient_id, kind, request_id, event_id) VALUES (r.assignee_id, 'dispatched', r.id, NEW.id);
  END IF;
  IF NEW.action IN ('escalated', 'reopened') THEN
    -- the people of the level it now stands at (1 mediator, 2 community, 3 street) whose scope holds it
    INSERT INTO notifications (recipient_id, kind, request_id, event_id, level)
    SELECT s.id, 'escalated', r.id, NEW.id, r.escalation_level FROM staff s LEFT JOIN areas a ON a.id = s.area_id
    WHERE s.role = (ARRAY['grid_worker', 'mediator', 'secretary', 'street_admin'])[r.escalation_level + 1]
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
--> statement-breakpoint
CREATE TRIGGER request_events_notify_staff AFTER INSERT ON request_events
  FOR EACH ROW EXECUTE FUNCTION notify_staff_of_event();
--> statement-breakpoint
-- Each notification is announced (for the recipient's open pages) and, for a recipient with an
-- e-mail address or SMS turned on, queued in the outbox, in the same transaction.
CREATE OR REPLACE FUNCTION notification_written() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('staff_notifications', NEW.id::text);
  INSERT INTO outbox (channel, kind, request_id, staff_id, notification_id)
  SELECT c.channel, NEW.kind, NEW.request_id, s.id, NEW.id
  FROM staff s, meta m, (VALUES ('email'), ('sms')) AS c(channel)
  WHERE s.id = NEW.recipient_id AND m.key = 'outbox_channels' AND m.value ? c.channel
    AND CASE c.channel WHEN 'email' THEN s.email IS NOT NULL ELSE s.notify_sms AND s.phone IS NOT NULL END;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER notifications_written AFTER INSERT ON notifications
  FOR EACH ROW EXECUTE FUNCTION notification_written();
