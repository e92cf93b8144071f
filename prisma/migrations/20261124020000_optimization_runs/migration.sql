-- CreateTable
CREATE TABLE "optimization_run" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "objective" TEXT NOT NULL,
    "total_budget" DECIMAL(18,6) NOT NULL,
    "requested_by" TEXT NOT NULL,
    "dry_run" BOOLEAN NOT NULL DEFAULT false,
    "expected_uplift" DOUBLE PRECISION,
    "result" JSONB NOT NULL,
    "change_request_id" UUID,
    "workflow_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "optimization_run_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "optimization_run_account_id_created_at_idx" ON "optimization_run"("account_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "optimization_run_workflow_id_key" ON "optimization_run"("workflow_id");

-- AddForeignKey
ALTER TABLE "optimization_run" ADD CONSTRAINT "optimization_run_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

