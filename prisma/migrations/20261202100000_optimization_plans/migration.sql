-- Workspace-wide optimization plans (issue 12) and the change request each opened, one per account.
CREATE TABLE "optimization_plan" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "objective" TEXT NOT NULL,
    "report_currency" CHAR(3) NOT NULL,
    "total_budget" DECIMAL(18,6) NOT NULL,
    "requested_by" TEXT NOT NULL,
    "dry_run" BOOLEAN NOT NULL DEFAULT false,
    "expected_uplift" DOUBLE PRECISION,
    "options" JSONB NOT NULL,
    "result" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "optimization_plan_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "optimization_plan_workflow_id_key" ON "optimization_plan"("workflow_id");
CREATE INDEX "optimization_plan_workspace_id_created_at_idx" ON "optimization_plan"("workspace_id", "created_at");
ALTER TABLE "optimization_plan" ADD CONSTRAINT "optimization_plan_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "optimization_plan_request" (
    "plan_id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "change_request_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "optimization_plan_request_pkey" PRIMARY KEY ("plan_id", "account_id")
);
CREATE UNIQUE INDEX "optimization_plan_request_change_request_id_key" ON "optimization_plan_request"("change_request_id");
ALTER TABLE "optimization_plan_request" ADD CONSTRAINT "optimization_plan_request_plan_id_fkey" FOREIGN KEY ("plan_id") REFERENCES "optimization_plan"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Part of the record: the application role (default privileges give it every new table) deletes neither.
DO $$
DECLARE
  app text := coalesce(nullif(current_setting('mbo.app_role', true), ''), 'mbo_app');
BEGIN
  IF app <> current_user AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = app) THEN
    EXECUTE format('REVOKE DELETE, TRUNCATE ON TABLE "optimization_plan", "optimization_plan_request" FROM %I', app);
  END IF;
END
$$;
