-- The triggers' statements keep their plans. The API asks for a custom plan of every statement
-- (plan_cache_mode = force_custom_plan, api/db/client.ts: a viewport's or a date range's plan
-- depends on its values), and a function's statements inherit the setting: each trigger's queries
-- were planned again on every row, ≈ 1 ms of a filing's 3 on the county (notifications' scope
-- check, the district, the rollups' look at their rows; docs/scaling.md). Their plans do not
-- depend on the values (one request, one event, its areas by key), so they are planned as
-- PostgreSQL does by default: custom at first, then one kept plan when it costs no more.
-- CREATE OR REPLACE FUNCTION drops a SET clause: a later migration redefining one of these repeats
-- it (tests/api/events.test.ts checks every trigger function).
ALTER FUNCTION notify_request_event() SET plan_cache_mode = auto;--> statement-breakpoint
ALTER FUNCTION notify_staff_of_event() SET plan_cache_mode = auto;--> statement-breakpoint
ALTER FUNCTION notification_written() SET plan_cache_mode = auto;--> statement-breakpoint
ALTER FUNCTION set_district_from_street() SET plan_cache_mode = auto;--> statement-breakpoint
ALTER FUNCTION follow_street_district() SET plan_cache_mode = auto;--> statement-breakpoint
ALTER FUNCTION set_building_grid() SET plan_cache_mode = auto;--> statement-breakpoint
ALTER FUNCTION rate_months_follow() SET plan_cache_mode = auto;--> statement-breakpoint
ALTER FUNCTION day_counts_follow() SET plan_cache_mode = auto;
