-- Approval integrity (issue 11): what was approved is what is applied.

-- The fingerprint of a request's content (items + policy), recorded at evaluation.
ALTER TABLE "change_request" ADD COLUMN "fingerprint" TEXT;

-- Guardrails read narrowly: the account's requests being applied, the last day's applied changes, and each
-- campaign's last change.
CREATE INDEX "change_request_account_id_status_idx" ON "change_request"("account_id", "status");
CREATE INDEX "change_item_campaign_id_applied_at_idx" ON "change_item"("campaign_id", "applied_at" DESC);
CREATE INDEX "change_item_applied_at_idx" ON "change_item"("applied_at");

-- An item's content (campaign, kind, from, to) never changes once written; its progress (status, observed budget,
-- error, applied_at) does. Nor does what a request is (who asked, for which account, under which policy, why),
-- and its fingerprint, once recorded, stays.
CREATE OR REPLACE FUNCTION change_item_content_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.id IS DISTINCT FROM OLD.id OR NEW.request_id IS DISTINCT FROM OLD.request_id OR NEW.seq IS DISTINCT FROM OLD.seq
     OR NEW.campaign_id IS DISTINCT FROM OLD.campaign_id OR NEW.kind IS DISTINCT FROM OLD.kind
     OR NEW.from_budget IS DISTINCT FROM OLD.from_budget OR NEW.to_budget IS DISTINCT FROM OLD.to_budget THEN
    RAISE EXCEPTION 'change_item content (campaign, kind, from, to) is immutable; open a new change request'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER change_item_content_immutable BEFORE UPDATE ON "change_item"
  FOR EACH ROW EXECUTE FUNCTION change_item_content_immutable();

CREATE OR REPLACE FUNCTION change_request_content_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.id IS DISTINCT FROM OLD.id OR NEW.workspace_id IS DISTINCT FROM OLD.workspace_id
     OR NEW.account_id IS DISTINCT FROM OLD.account_id OR NEW.source IS DISTINCT FROM OLD.source
     OR NEW.requested_by IS DISTINCT FROM OLD.requested_by OR NEW.reason IS DISTINCT FROM OLD.reason
     OR NEW.emergency IS DISTINCT FROM OLD.emergency OR NEW.policy IS DISTINCT FROM OLD.policy
     OR NEW.created_at IS DISTINCT FROM OLD.created_at
     OR (OLD.fingerprint IS NOT NULL AND NEW.fingerprint IS DISTINCT FROM OLD.fingerprint) THEN
    RAISE EXCEPTION 'change_request content (requester, account, reason, policy, fingerprint) is immutable'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER change_request_content_immutable BEFORE UPDATE ON "change_request"
  FOR EACH ROW EXECUTE FUNCTION change_request_content_immutable();
