ALTER TABLE "request_events" ADD COLUMN "detail" jsonb;--> statement-breakpoint
-- Older events wrote these facts as bilingual text; move them into `detail` so every page words them in its own language.
UPDATE "request_events" SET
  "detail" = jsonb_build_object(
    'fromLevel', array_position(ARRAY['网格员', '调解员', '社区', '街道'], (regexp_match("note", '自动上报：(\S+) →'))[1]) - 1,
    'toLevel', ((regexp_match("note", 'escalated to level (\d+)$'))[1])::int,
    'reason', CASE WHEN "note" LIKE '%(claim deadline passed)%' THEN 'claim_overdue' ELSE 'resolve_overdue' END),
  "note" = NULL
WHERE "action" = 'escalated' AND "actor" = 'system' AND "note" ~ 'escalated to level \d+$';
--> statement-breakpoint
UPDATE "request_events" SET
  "detail" = jsonb_build_object('rating', ((regexp_match("note", '^评价 (\d) 星'))[1])::int),
  "note" = NULLIF((regexp_match("note", '^评价 \d 星(?:：(.*))?$'))[1], '')
WHERE "action" IN ('rated', 'reopened') AND "note" ~ '^评价 \d 星';
--> statement-breakpoint
UPDATE "request_events" SET
  "detail" = jsonb_build_object('assigneeName', (regexp_match("note", '^派给 ([^：]+)'))[1]),
  "note" = NULLIF((regexp_match("note", '^派给 [^：]+(?:：(.*))?$'))[1], '')
WHERE "action" = 'dispatched' AND "note" ~ '^派给 ';
--> statement-breakpoint
UPDATE "request_events" SET "detail" = jsonb_build_object('ticket', (regexp_match("note", '^与 (\S+) 重复'))[1]), "note" = NULL
WHERE "action" = 'status' AND "to_status" = 'duplicate' AND "note" ~ '^与 \S+ 重复 / duplicate of ';
--> statement-breakpoint
UPDATE "request_events" SET "detail" = jsonb_build_object('ticket', (regexp_match("note", '^重复诉求 (\S+) 并入'))[1]), "note" = NULL
WHERE "action" = 'me_too' AND "note" ~ '^重复诉求 \S+ 并入 / ';
