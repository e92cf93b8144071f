-- A change request remembers the Idempotency-Key it was created with (API), so a client retrying after an API crash
-- finds the request the crashed process already stored instead of creating a second one (api/idempotency.ts).
-- Unique per workspace and requester; requests without a key (NULL) are unconstrained.
ALTER TABLE "change_request" ADD COLUMN "idempotency_key" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "change_request_workspace_id_requested_by_idempotency_key_key" ON "change_request"("workspace_id", "requested_by", "idempotency_key");
