-- Kiosk tokens and Open311 keys were kept in clear: keep only their sha256 (hex, as the sessions'
-- tokens are kept), so links and keys already handed out keep working and a copied table opens nothing.
ALTER TABLE "kiosk_tokens" ADD COLUMN "token_hash" text;--> statement-breakpoint
ALTER TABLE "kiosk_tokens" ADD COLUMN "hint" text;--> statement-breakpoint
UPDATE "kiosk_tokens" SET "token_hash" = encode(sha256(convert_to("token", 'UTF8')), 'hex'), "hint" = right("token", 4);--> statement-breakpoint
ALTER TABLE "kiosk_tokens" DROP CONSTRAINT "kiosk_tokens_pkey";--> statement-breakpoint
ALTER TABLE "kiosk_tokens" DROP COLUMN "token";--> statement-breakpoint
ALTER TABLE "kiosk_tokens" ADD COLUMN "id" serial PRIMARY KEY NOT NULL;--> statement-breakpoint
ALTER TABLE "kiosk_tokens" ALTER COLUMN "token_hash" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "kiosk_tokens" ALTER COLUMN "hint" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "kiosk_tokens" ADD COLUMN "created_by" text;--> statement-breakpoint
ALTER TABLE "kiosk_tokens" ADD COLUMN "revoked_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "kiosk_tokens_hash_idx" ON "kiosk_tokens" USING btree ("token_hash");--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "key_hash" text;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "hint" text;--> statement-breakpoint
UPDATE "api_keys" SET "key_hash" = encode(sha256(convert_to("key", 'UTF8')), 'hex'), "hint" = right("key", 4);--> statement-breakpoint
ALTER TABLE "api_keys" DROP CONSTRAINT "api_keys_pkey";--> statement-breakpoint
ALTER TABLE "api_keys" DROP COLUMN "key";--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "id" serial PRIMARY KEY NOT NULL;--> statement-breakpoint
ALTER TABLE "api_keys" ALTER COLUMN "key_hash" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "api_keys" ALTER COLUMN "hint" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "created_by" text;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "revoked_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_hash_idx" ON "api_keys" USING btree ("key_hash");
