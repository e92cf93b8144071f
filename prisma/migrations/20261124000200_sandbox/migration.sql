-- The sandbox ad platform keeps its own state in its own schema, as a real platform keeps its own database:
-- MBO reaches it only through the connector, never by joining these tables.
CREATE SCHEMA IF NOT EXISTS sandbox;

-- One simulated ad account (mirrors one platform kind) with its own clock: `today` is the first day not yet simulated.
CREATE TABLE sandbox.account (
  id          TEXT PRIMARY KEY,
  platform    TEXT NOT NULL CHECK (platform IN ('google_ads', 'meta', 'tiktok', 'linkedin')),
  name        TEXT NOT NULL,
  currency    CHAR(3) NOT NULL,
  time_zone   TEXT NOT NULL,
  seed        INTEGER NOT NULL,
  today       DATE NOT NULL,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- A campaign and its hidden response to budget (`truth`, never returned by the API).
CREATE TABLE sandbox.campaign (
  account_id    TEXT NOT NULL REFERENCES sandbox.account(id),
  id            TEXT NOT NULL,
  name          TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('ACTIVE', 'PAUSED')),
  daily_budget  NUMERIC(18, 6) NOT NULL CHECK (daily_budget >= 0),
  truth         JSONB NOT NULL,
  carry         DOUBLE PRECISION NOT NULL DEFAULT 0,
  updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, id)
);

CREATE TABLE sandbox.metric_day (
  account_id       TEXT NOT NULL,
  campaign_id      TEXT NOT NULL,
  date             DATE NOT NULL,
  impressions      BIGINT NOT NULL,
  clicks           BIGINT NOT NULL,
  spend            NUMERIC(18, 6) NOT NULL,
  conversions      NUMERIC(18, 4) NOT NULL,
  conversion_value NUMERIC(18, 6) NOT NULL,
  PRIMARY KEY (account_id, date, campaign_id),
  FOREIGN KEY (account_id, campaign_id) REFERENCES sandbox.campaign(account_id, id)
);

-- Every accepted mutation, keyed by the caller's idempotency key: a replayed key returns the first result.
CREATE TABLE sandbox.mutation (
  id               BIGSERIAL PRIMARY KEY,
  account_id       TEXT NOT NULL,
  campaign_id      TEXT NOT NULL,
  idempotency_key  TEXT NOT NULL,
  kind             TEXT NOT NULL CHECK (kind IN ('budget', 'pause', 'resume')),
  before           JSONB NOT NULL,
  after            JSONB NOT NULL,
  applied_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (account_id, idempotency_key)
);

-- Fault injection for reliability tests: the next `remaining` matching calls misbehave.
CREATE TABLE sandbox.fault (
  id                  BIGSERIAL PRIMARY KEY,
  account_id          TEXT,            -- NULL: any account
  operation           TEXT,            -- NULL: any operation
  kind                TEXT NOT NULL CHECK (kind IN ('rate_limit', 'transient', 'slow', 'auth_expired')),
  remaining           INTEGER NOT NULL CHECK (remaining >= 0),
  retry_after_seconds INTEGER NOT NULL DEFAULT 1,
  delay_ms            INTEGER NOT NULL DEFAULT 0,
  created_at          TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Every API call, for tests and for `mbo sandbox calls`: what was asked, when, and how it was answered.
CREATE TABLE sandbox.call_log (
  id          BIGSERIAL PRIMARY KEY,
  account_id  TEXT NOT NULL,
  operation   TEXT NOT NULL,
  outcome     TEXT NOT NULL,
  detail      JSONB,
  at          TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX call_log_account_at_idx ON sandbox.call_log (account_id, at);
