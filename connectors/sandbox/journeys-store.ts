// Gives a sandbox workspace its generated journeys (connectors/sandbox/journeys.ts) once, so the demo's
// attribution report has data. Called from the sandbox set-up (stack/ensure-sandbox.ts); idempotent.
import type pg from 'pg';
import { insertJourneyBatch } from '../../db/journeys.js';
import { generateJourneys, sandboxChannels } from './journeys.js';

export const SANDBOX_JOURNEY_USERS = 4000;

export async function ensureSandboxJourneys(pool: pg.Pool, o: { workspaceId: string; prefix: string; seed: number; today: string; users?: number }) {
  const { rows } = await pool.query(`select 1 from journey_touchpoint where workspace_id = $1 and source = 'sandbox' limit 1`, [o.workspaceId]);
  if (rows.length) return { touchpoints: 0, conversions: 0 };
  const g = generateJourneys({
    seed: o.seed,
    users: o.users ?? SANDBOX_JOURNEY_USERS,
    end: o.today,
    channels: sandboxChannels(o.prefix),
    userPrefix: `${o.prefix}-u`,
  });
  return insertJourneyBatch(pool, o.workspaceId, g, 'sandbox');
}
