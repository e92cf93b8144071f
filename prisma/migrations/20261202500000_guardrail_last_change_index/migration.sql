-- Guardrails read each requested campaign's last applied change (learning phase): with (campaign_id, status,
-- applied_at desc) that is one index probe per campaign however many changes the account has had
-- (db/guardrail-context.ts; measured by bench:workflows with 100,000 past changes).
CREATE INDEX "change_item_campaign_id_status_applied_at_idx" ON "change_item"("campaign_id", "status", "applied_at" DESC);
