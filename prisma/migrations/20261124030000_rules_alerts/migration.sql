-- CreateTable
CREATE TABLE "rule" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "condition" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "definition" JSONB NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rule_firing" (
    "id" UUID NOT NULL,
    "rule_id" UUID NOT NULL,
    "campaign_id" UUID NOT NULL,
    "explanation" TEXT NOT NULL,
    "change_request_id" UUID,
    "alert_id" UUID,
    "fired_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "workflow_id" TEXT NOT NULL,

    CONSTRAINT "rule_firing_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "dedup_key" TEXT NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "details" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,

    CONSTRAINT "alert_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "rule_workspace_id_name_key" ON "rule"("workspace_id", "name");

-- CreateIndex
CREATE INDEX "rule_firing_rule_id_campaign_id_fired_at_idx" ON "rule_firing"("rule_id", "campaign_id", "fired_at");

-- CreateIndex
CREATE UNIQUE INDEX "rule_firing_workflow_id_rule_id_campaign_id_key" ON "rule_firing"("workflow_id", "rule_id", "campaign_id");

-- CreateIndex
CREATE INDEX "alert_workspace_id_created_at_idx" ON "alert"("workspace_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "alert_workspace_id_dedup_key_key" ON "alert"("workspace_id", "dedup_key");

-- AddForeignKey
ALTER TABLE "rule" ADD CONSTRAINT "rule_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rule_firing" ADD CONSTRAINT "rule_firing_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "rule"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert" ADD CONSTRAINT "alert_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

