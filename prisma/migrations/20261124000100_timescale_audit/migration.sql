-- One migration set for both deployments: TimescaleDB where the extension is installed and preloaded (the
-- docker-compose stack), plain Postgres otherwise (embedded default, CI). metric_daily's primary key
-- (campaign_id, date) already contains the time column, as a hypertable requires.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb')
     AND current_setting('shared_preload_libraries', true) LIKE '%timescaledb%' THEN
    CREATE EXTENSION IF NOT EXISTS timescaledb;
    PERFORM create_hypertable('metric_daily', 'date',
                              chunk_time_interval => INTERVAL '30 days',
                              migrate_data => true, if_not_exists => true);
    RAISE NOTICE 'metric_daily is a TimescaleDB hypertable';
  ELSE
    RAISE NOTICE 'TimescaleDB not available: metric_daily stays a plain table';
  END IF;
END
$$;

-- Recent-first reads per campaign (dashboards, optimizer windows).
CREATE INDEX IF NOT EXISTS "metric_daily_campaign_date_desc_idx" ON "metric_daily" ("campaign_id", "date" DESC);

-- The audit trail is append-only: history is never rewritten, by anyone.
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_event is append-only (% rejected)', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON "audit_event"
  FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON "audit_event"
  FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();
