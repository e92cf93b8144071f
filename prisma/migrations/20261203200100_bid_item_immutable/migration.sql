-- A bid item's content (target kind, from, to) is as immutable as a budget item's (migration 20261201200000): only
-- its progress (status, observed budget and bid, error, applied_at) changes once written.
CREATE OR REPLACE FUNCTION change_item_content_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.id IS DISTINCT FROM OLD.id OR NEW.request_id IS DISTINCT FROM OLD.request_id OR NEW.seq IS DISTINCT FROM OLD.seq
     OR NEW.campaign_id IS DISTINCT FROM OLD.campaign_id OR NEW.kind IS DISTINCT FROM OLD.kind
     OR NEW.from_budget IS DISTINCT FROM OLD.from_budget OR NEW.to_budget IS DISTINCT FROM OLD.to_budget
     OR NEW.bid_kind IS DISTINCT FROM OLD.bid_kind OR NEW.from_bid IS DISTINCT FROM OLD.from_bid OR NEW.to_bid IS DISTINCT FROM OLD.to_bid THEN
    RAISE EXCEPTION 'change_item content (campaign, kind, from, to) is immutable; open a new change request'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;
