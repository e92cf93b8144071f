-- Ingestion at scale: daily FX rates (amounts are converted to a report currency only at read time) and a daily
-- per-account rollup of metric_daily, kept in step by the upsert that changes metric_daily (db/metric-store.ts).

-- CreateTable
CREATE TABLE "fx_rate" (
    "base" CHAR(3) NOT NULL,
    "quote" CHAR(3) NOT NULL,
    "date" DATE NOT NULL,
    "rate" DECIMAL(24,9) NOT NULL,
    "source" TEXT NOT NULL,
    "loaded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "fx_rate_pkey" PRIMARY KEY ("base","quote","date")
);

-- CreateTable
CREATE TABLE "metric_rollup_daily" (
    "account_id" UUID NOT NULL,
    "date" DATE NOT NULL,
    "workspace_id" UUID NOT NULL,
    "platform" "Platform" NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "campaigns" INTEGER NOT NULL,
    "impressions" BIGINT NOT NULL,
    "clicks" BIGINT NOT NULL,
    "spend" DECIMAL(24,6) NOT NULL,
    "conversions" DECIMAL(24,4) NOT NULL,
    "conversion_value" DECIMAL(24,6) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "metric_rollup_daily_pkey" PRIMARY KEY ("account_id","date")
);

-- CreateIndex
CREATE INDEX "metric_rollup_daily_workspace_id_date_idx" ON "metric_rollup_daily"("workspace_id", "date");

-- metric_daily_campaign_date_desc_idx (20261124000100) has the primary key's columns, which a B-tree reads in either
-- direction: it served no query the key does not, and every ingested row paid for a third index.
DROP INDEX IF EXISTS "metric_daily_campaign_date_desc_idx";

-- Rows stored before this migration.
INSERT INTO "metric_rollup_daily" (account_id, date, workspace_id, platform, currency, campaigns, impressions, clicks,
                                   spend, conversions, conversion_value)
SELECT c.account_id, m.date, a.workspace_id, a.platform, min(m.currency), count(*), sum(m.impressions), sum(m.clicks),
       sum(m.spend), sum(m.conversions), sum(m.conversion_value)
  FROM "metric_daily" m JOIN "campaign" c ON c.id = m.campaign_id JOIN "platform_account" a ON a.id = c.account_id
 GROUP BY c.account_id, m.date, a.workspace_id, a.platform;

-- Where metric_daily is a TimescaleDB hypertable (docker-compose), a continuous aggregate with real-time
-- aggregation serves the same reads and refreshes itself by policy; db/rollups.ts reads it when it exists.
-- Optional by design: anything Timescale refuses here leaves a notice and the plain table in charge.
-- (Timescale names are only reached through EXECUTE, so plain Postgres never parses them.)
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
    IF EXISTS (SELECT 1 FROM pg_class k JOIN pg_namespace n ON n.oid = k.relnamespace
                WHERE n.nspname = '_timescaledb_catalog' AND k.relname = 'hypertable')
       AND EXISTS (SELECT 1 FROM _timescaledb_catalog.hypertable WHERE table_name = 'metric_daily') THEN
      BEGIN
        EXECUTE $cagg$
          CREATE MATERIALIZED VIEW metric_rollup_daily_cagg
          WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
          SELECT c.account_id, time_bucket(INTERVAL '1 day', m.date) AS date, min(m.currency) AS currency,
                 count(*)::int AS campaigns, sum(m.impressions) AS impressions, sum(m.clicks) AS clicks,
                 sum(m.spend) AS spend, sum(m.conversions) AS conversions, sum(m.conversion_value) AS conversion_value
            FROM metric_daily m JOIN campaign c ON c.id = m.campaign_id
           GROUP BY c.account_id, time_bucket(INTERVAL '1 day', m.date)
          WITH NO DATA
        $cagg$;
        EXECUTE $policy$
          SELECT add_continuous_aggregate_policy('metric_rollup_daily_cagg',
                   start_offset => INTERVAL '3 years', end_offset => NULL, schedule_interval => INTERVAL '1 hour')
        $policy$;
        RAISE NOTICE 'metric_rollup_daily_cagg: TimescaleDB continuous aggregate serves the daily rollups';
      EXCEPTION WHEN others THEN
        RAISE NOTICE 'no continuous aggregate (%): metric_rollup_daily serves the daily rollups', SQLERRM;
      END;
    END IF;
  END IF;
END
$$;
