-- UNLOGGED: the counts of the rate limits (api/guard/shared-counts.ts) need no WAL, no replica and no crash safety
CREATE UNLOGGED TABLE "rate_counts" (
	"key" text PRIMARY KEY NOT NULL,
	"hits" integer NOT NULL,
	"reset_at" timestamp with time zone NOT NULL
);
