// Journey storage for attribution: batches of touchpoints and conversions written in one transaction (idempotent:
// the unique keys drop what is already stored), and the rows of a period read back for the attribution models.
import type pg from 'pg';

export interface TouchRow {
  userKey: string;
  channel: string;
  campaign: string;
  at: string;
}
export interface ConversionRow {
  userKey: string;
  at: string;
  value: string;
}

/** Inserts a batch in one transaction; returns how many rows were new (the rest were already stored). */
export async function insertJourneyBatch(
  pool: pg.Pool,
  workspaceId: string,
  batch: { touchpoints: TouchRow[]; conversions: ConversionRow[] },
  source: string,
): Promise<{ touchpoints: number; conversions: number }> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const t = batch.touchpoints.length
      ? await client.query(
          `insert into journey_touchpoint (workspace_id, user_key, channel, campaign, occurred_at, source)
           select $1, u, ch, ca, at, $6 from unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[]) as x(u, ch, ca, at)
           on conflict do nothing`,
          [
            workspaceId,
            batch.touchpoints.map((r) => r.userKey),
            batch.touchpoints.map((r) => r.channel),
            batch.touchpoints.map((r) => r.campaign),
            batch.touchpoints.map((r) => r.at),
            source,
          ],
        )
      : { rowCount: 0 };
    const c = batch.conversions.length
      ? await client.query(
          `insert into journey_conversion (workspace_id, user_key, occurred_at, value, source)
           select $1, u, at, v, $5 from unnest($2::text[], $3::timestamptz[], $4::numeric[]) as x(u, at, v)
           on conflict do nothing`,
          [workspaceId, batch.conversions.map((r) => r.userKey), batch.conversions.map((r) => r.at), batch.conversions.map((r) => r.value), source],
        )
      : { rowCount: 0 };
    await client.query('commit');
    return { touchpoints: t.rowCount ?? 0, conversions: c.rowCount ?? 0 };
  } catch (e) {
    await client.query('rollback').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

/**
 * The touchpoints and conversions of users with a touch in [from, to) (conversions up to `to` plus the lookahead
 * window, so a journey touched late in the period can still convert), ordered per user and time.
 */
export async function loadJourneyRows(pool: pg.Pool, workspaceId: string, from: string, to: string) {
  const touches = await pool.query<{ user_key: string; channel: string; campaign: string; at: Date }>(
    `select user_key, channel, campaign, occurred_at as at from journey_touchpoint
      where workspace_id = $1 and occurred_at >= $2 and occurred_at < $3 order by user_key, occurred_at, channel, campaign`,
    [workspaceId, from, to],
  );
  const conversions = await pool.query<{ user_key: string; at: Date; value: string }>(
    `select user_key, occurred_at as at, value::text from journey_conversion
      where workspace_id = $1 and occurred_at >= $2 and occurred_at < $3 order by user_key, occurred_at`,
    [workspaceId, from, to],
  );
  return { touches: touches.rows, conversions: conversions.rows };
}

export async function journeyCounts(pool: pg.Pool, workspaceId: string) {
  const { rows } = await pool.query<{ touchpoints: string; conversions: string; users: string }>(
    `select (select count(*) from journey_touchpoint where workspace_id = $1) as touchpoints,
            (select count(*) from journey_conversion where workspace_id = $1) as conversions,
            (select count(distinct user_key) from journey_touchpoint where workspace_id = $1) as users`,
    [workspaceId],
  );
  return { touchpoints: Number(rows[0]!.touchpoints), conversions: Number(rows[0]!.conversions), users: Number(rows[0]!.users) };
}
