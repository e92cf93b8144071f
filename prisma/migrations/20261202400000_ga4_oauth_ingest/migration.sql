-- Issue 13 (rest): GA4 as an analytics source, OAuth consents in progress, and a cheaper bulk ingest.

-- Ingest: metric_daily loses its per-row foreign key to campaign. The RI trigger looked up campaign once per inserted
-- row and was the largest single cost of a bulk load (bench:ingest). Integrity is kept by set:
--  * insert side: db/metric-store.ts resolves every row's campaign id from campaign (creating placeholders for ids
--    it has not seen) in the same statement that inserts the rows, under the account's advisory lock;
--  * delete side: deleting a campaign that still has metric rows is refused by the trigger below, which takes the
--    same advisory lock first, so it cannot race a page of that account being written.
ALTER TABLE "metric_daily" DROP CONSTRAINT IF EXISTS "metric_daily_campaign_id_fkey";

CREATE OR REPLACE FUNCTION mbo_campaign_keep_metrics() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended(OLD.account_id::text, 7013));
  IF EXISTS (SELECT 1 FROM metric_daily WHERE campaign_id = OLD.id) THEN
    RAISE EXCEPTION 'campaign % still has daily metrics', OLD.id USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN OLD;
END $$;
DROP TRIGGER IF EXISTS campaign_keep_metrics ON "campaign";
CREATE TRIGGER campaign_keep_metrics BEFORE DELETE ON "campaign" FOR EACH ROW EXECUTE FUNCTION mbo_campaign_keep_metrics();

-- GA4: one property per workspace, its credentials sealed like platform_credential.
CREATE TABLE "analytics_property" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "property_id" TEXT NOT NULL,
    "currency" CHAR(3),
    "time_zone" TEXT,
    "sealed" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_synced_at" TIMESTAMPTZ(3),
    CONSTRAINT "analytics_property_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "analytics_property_workspace_id_key" ON "analytics_property"("workspace_id");

CREATE TABLE "ga4_traffic_daily" (
    "workspace_id" UUID NOT NULL,
    "date" DATE NOT NULL,
    "source" TEXT NOT NULL,
    "medium" TEXT NOT NULL,
    "campaign" TEXT NOT NULL,
    "sessions" BIGINT NOT NULL,
    "conversions" DECIMAL(18,4) NOT NULL,
    "revenue" DECIMAL(18,6) NOT NULL,
    "currency" CHAR(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ga4_traffic_daily_pkey" PRIMARY KEY ("workspace_id","date","source","medium","campaign")
);

-- OAuth consents in progress (mbo accounts add): single use, short-lived.
CREATE TABLE "oauth_session" (
    "id" UUID NOT NULL,
    "state" TEXT NOT NULL,
    "workspace_id" UUID NOT NULL,
    "platform" "Platform" NOT NULL,
    "redirect_uri" TEXT NOT NULL,
    "sealed" TEXT NOT NULL,
    "exchanged" BOOLEAN NOT NULL DEFAULT false,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    CONSTRAINT "oauth_session_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "oauth_session_state_key" ON "oauth_session"("state");
CREATE INDEX "oauth_session_workspace_id_idx" ON "oauth_session"("workspace_id");

-- The application role gets what the app-role migration grants every table (it may run before this one).
DO $$
DECLARE app text := coalesce(nullif(current_setting('mbo.app_role', true), ''), 'mbo_app');
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = app) AND current_user <> app THEN
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "analytics_property", "ga4_traffic_daily", "oauth_session" TO %I', app);
  END IF;
END $$;
