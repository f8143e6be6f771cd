CREATE TABLE "sign_in_failures" (
	"username" text NOT NULL,
	"client" text NOT NULL,
	"failures" smallint NOT NULL,
	"until" timestamp with time zone NOT NULL,
	CONSTRAINT "sign_in_failures_username_client_pk" PRIMARY KEY("username","client")
);
--> statement-breakpoint
ALTER TABLE "accounts" DROP COLUMN "failed_logins";--> statement-breakpoint
ALTER TABLE "accounts" DROP COLUMN "locked_until";