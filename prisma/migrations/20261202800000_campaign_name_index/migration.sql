-- The campaign list pages each account in (name, id) order straight from this index (services/campaigns).
CREATE INDEX "campaign_account_id_name_id_idx" ON "campaign"("account_id", "name", "id");
