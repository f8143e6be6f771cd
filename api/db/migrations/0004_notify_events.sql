-- Every audit event is announced on the `request_events` channel with its id, so each API
-- process (several behind a load balancer, or one on PGlite) can push it to its SSE streams;
-- the id doubles as the SSE event id a reconnecting screen replays from (Last-Event-ID).
CREATE OR REPLACE FUNCTION notify_request_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('request_events', NEW.id::text);
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER request_events_notify AFTER INSERT ON request_events
  FOR EACH ROW EXECUTE FUNCTION notify_request_event();
