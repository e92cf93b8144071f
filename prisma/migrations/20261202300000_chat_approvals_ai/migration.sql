-- Issue 14 (aichat): approvals from chat and the AI engine.
-- notification_channel: where each member hears about requests waiting for their decision (WhatsApp number or a
-- Slack-compatible webhook URL, sealed). approval_notice: each notice/reminder sent, once per request, person,
-- channel and kind. ai_run: each AI engine run with its tool calls, tokens and cost.
-- The application role gets these tables through the default privileges of 20261201900000_app_role; ai_run and
-- approval_notice are records: the application role may not delete them.

CREATE TABLE "notification_channel" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspace_id" UUID NOT NULL REFERENCES "workspace"("id"),
    "user_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL CHECK ("kind" IN ('whatsapp', 'slack')),
    "address_sealed" TEXT NOT NULL,
    "address_hint" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "notification_channel_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "notification_channel_workspace_id_user_id_kind_key" ON "notification_channel"("workspace_id", "user_id", "kind");

CREATE TABLE "approval_notice" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspace_id" UUID NOT NULL REFERENCES "workspace"("id"),
    "request_id" UUID NOT NULL REFERENCES "change_request"("id"),
    "user_id" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "kind" TEXT NOT NULL CHECK ("kind" IN ('request', 'reminder')),
    "status" TEXT NOT NULL CHECK ("status" IN ('sending', 'sent', 'failed')),
    "external_id" TEXT,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "approval_notice_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "approval_notice_request_id_user_id_channel_kind_key" ON "approval_notice"("request_id", "user_id", "channel", "kind");
CREATE INDEX "approval_notice_workspace_id_created_at_idx" ON "approval_notice"("workspace_id", "created_at");
CREATE INDEX "approval_notice_external_id_idx" ON "approval_notice"("external_id");

CREATE TABLE "ai_run" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "workspace_id" UUID NOT NULL REFERENCES "workspace"("id"),
    "requested_by" TEXT NOT NULL,
    "task" TEXT NOT NULL,
    "input" JSONB NOT NULL,
    "model" TEXT,
    "status" TEXT NOT NULL,
    "answer" TEXT,
    "tool_calls" JSONB NOT NULL DEFAULT '[]',
    "change_request_ids" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "turns" INTEGER NOT NULL DEFAULT 0,
    "input_tokens" INTEGER NOT NULL DEFAULT 0,
    "output_tokens" INTEGER NOT NULL DEFAULT 0,
    "cache_creation_tokens" INTEGER NOT NULL DEFAULT 0,
    "cache_read_tokens" INTEGER NOT NULL DEFAULT 0,
    "cost_usd" DECIMAL(18,9),
    "stop_reason" TEXT,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    CONSTRAINT "ai_run_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "ai_run_workspace_id_created_at_idx" ON "ai_run"("workspace_id", "created_at");

DO $$
DECLARE
  app text := coalesce(nullif(current_setting('mbo.app_role', true), ''), 'mbo_app');
BEGIN
  IF app = current_user OR NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = app) THEN
    RETURN;
  END IF;
  EXECUTE format('REVOKE DELETE, TRUNCATE ON TABLE "ai_run", "approval_notice" FROM %I', app);
END
$$;
