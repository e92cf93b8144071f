-- CreateEnum
CREATE TYPE "Role" AS ENUM ('viewer', 'analyst', 'approver', 'admin');

-- CreateEnum
CREATE TYPE "ChangeRequestStatus" AS ENUM ('EVALUATING', 'BLOCKED', 'PENDING_APPROVAL', 'APPROVED', 'REJECTED', 'EXPIRED', 'APPLYING', 'APPLIED', 'NEEDS_REAPPROVAL', 'PARTIALLY_APPLIED', 'ROLLED_BACK', 'FAILED');

-- CreateEnum
CREATE TYPE "ChangeItemStatus" AS ENUM ('PENDING', 'APPLIED', 'STALE', 'FAILED', 'ROLLED_BACK');

-- CreateEnum
CREATE TYPE "ChangeKind" AS ENUM ('budget', 'pause', 'resume');

-- CreateTable
CREATE TABLE "member" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "user_id" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "member_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "guardrail_setting" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "account_id" UUID,
    "policy" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "guardrail_setting_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "change_request" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "source" TEXT NOT NULL,
    "requested_by" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "status" "ChangeRequestStatus" NOT NULL,
    "emergency" BOOLEAN NOT NULL DEFAULT false,
    "policy" JSONB NOT NULL,
    "guardrails" JSONB,
    "decided_by" TEXT,
    "decided_at" TIMESTAMPTZ(3),
    "decision_note" TEXT,
    "outcome" TEXT,
    "expires_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "change_request_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "change_item" (
    "id" UUID NOT NULL,
    "request_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "campaign_id" UUID NOT NULL,
    "kind" "ChangeKind" NOT NULL,
    "from_budget" DECIMAL(18,6) NOT NULL,
    "to_budget" DECIMAL(18,6),
    "status" "ChangeItemStatus" NOT NULL DEFAULT 'PENDING',
    "observed_budget" DECIMAL(18,6),
    "error" TEXT,
    "applied_at" TIMESTAMPTZ(3),

    CONSTRAINT "change_item_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "member_workspace_id_user_id_key" ON "member"("workspace_id", "user_id");

-- CreateIndex
CREATE UNIQUE INDEX "guardrail_setting_workspace_id_account_id_key" ON "guardrail_setting"("workspace_id", "account_id");

-- CreateIndex
CREATE INDEX "change_request_workspace_id_status_idx" ON "change_request"("workspace_id", "status");

-- CreateIndex
CREATE INDEX "change_item_campaign_id_idx" ON "change_item"("campaign_id");

-- CreateIndex
CREATE UNIQUE INDEX "change_item_request_id_seq_key" ON "change_item"("request_id", "seq");

-- AddForeignKey
ALTER TABLE "member" ADD CONSTRAINT "member_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "guardrail_setting" ADD CONSTRAINT "guardrail_setting_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "change_request" ADD CONSTRAINT "change_request_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "change_item" ADD CONSTRAINT "change_item_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "change_request"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Requests and their items are never deleted: the change history is part of the audit trail.
CREATE OR REPLACE FUNCTION reject_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are never deleted', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER change_item_no_delete BEFORE DELETE ON "change_item" FOR EACH ROW EXECUTE FUNCTION reject_delete();
CREATE TRIGGER change_request_no_delete BEFORE DELETE ON "change_request" FOR EACH ROW EXECUTE FUNCTION reject_delete();
