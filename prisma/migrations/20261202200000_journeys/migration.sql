-- Journeys for attribution (issue 12): touchpoints and conversions per workspace and user key. Ingest is
-- idempotent through the unique keys (the same touch or conversion sent twice is stored once). The application
-- role gets its grants from the default privileges of 20261201900000_app_role.
CREATE TABLE "journey_touchpoint" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspace_id" UUID NOT NULL,
    "user_key" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "campaign" TEXT NOT NULL DEFAULT '',
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "source" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "journey_touchpoint_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "journey_conversion" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspace_id" UUID NOT NULL,
    "user_key" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "value" DECIMAL(18,6) NOT NULL,
    "source" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "journey_conversion_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "journey_touchpoint_workspace_id_user_key_occurred_at_channel_campaign_key" ON "journey_touchpoint"("workspace_id", "user_key", "occurred_at", "channel", "campaign");
CREATE INDEX "journey_touchpoint_workspace_id_occurred_at_idx" ON "journey_touchpoint"("workspace_id", "occurred_at");
CREATE UNIQUE INDEX "journey_conversion_workspace_id_user_key_occurred_at_key" ON "journey_conversion"("workspace_id", "user_key", "occurred_at");
CREATE INDEX "journey_conversion_workspace_id_occurred_at_idx" ON "journey_conversion"("workspace_id", "occurred_at");

ALTER TABLE "journey_touchpoint" ADD CONSTRAINT "journey_touchpoint_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "journey_conversion" ADD CONSTRAINT "journey_conversion_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
