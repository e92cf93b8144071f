-- Bid-target change items (issue 13, "Bid adjustments"): a change item may adjust a campaign's bidding target
-- (target CPA / target ROAS, bid or cost cap) through the same one door as budgets; the campaign keeps the target the
-- platform last reported, so a request can say "from → to" and "by ±N %" is resolved against it.

-- AlterEnum
ALTER TYPE "ChangeKind" ADD VALUE 'bid';

-- AlterTable
ALTER TABLE "campaign" ADD COLUMN "bid_kind" TEXT,
ADD COLUMN "bid_target" DECIMAL(18,6);

-- AlterTable
ALTER TABLE "change_item" ADD COLUMN "bid_kind" TEXT,
ADD COLUMN "from_bid" DECIMAL(18,6),
ADD COLUMN "observed_bid" DECIMAL(18,6),
ADD COLUMN "to_bid" DECIMAL(18,6);

-- The sandbox platform gets bidding targets of its own (connectors/sandbox): the kind and value in force, and the
-- value it started at (the simulation's neutral point: a target at its starting value changes nothing).
ALTER TABLE sandbox.campaign ADD COLUMN bid_kind TEXT,
ADD COLUMN bid_value NUMERIC(18, 6),
ADD COLUMN bid_base NUMERIC(18, 6);
ALTER TABLE sandbox.mutation DROP CONSTRAINT IF EXISTS mutation_kind_check;
ALTER TABLE sandbox.mutation ADD CONSTRAINT mutation_kind_check CHECK (kind IN ('budget', 'pause', 'resume', 'bid'));
