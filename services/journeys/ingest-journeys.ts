// Use case: store a batch of journey touchpoints and conversions (analysts and above). The batch is validated
// whole before anything is written and written in one transaction; sending the same rows again stores nothing new.
import { insertJourneyBatch } from '../../db/journeys.js';
import { requireRole, type ServiceContext } from '../actor.js';
import { parseInput } from '../input.js';
import { ingestJourneysSchema, type IngestJourneys } from './journeys.schema.js';

export interface IngestResult {
  received: { touchpoints: number; conversions: number };
  stored: { touchpoints: number; conversions: number };
  duplicates: number;
}

/** Writes an already validated batch (shared by the API batch and the CSV import). */
export async function storeJourneys(ctx: ServiceContext, batch: IngestJourneys, source: string): Promise<IngestResult> {
  const stored = await insertJourneyBatch(ctx.app.pool, ctx.actor.workspaceId, batch, source);
  const received = { touchpoints: batch.touchpoints.length, conversions: batch.conversions.length };
  return { received, stored, duplicates: received.touchpoints + received.conversions - stored.touchpoints - stored.conversions };
}

export async function ingestJourneys(ctx: ServiceContext, raw: unknown): Promise<IngestResult> {
  requireRole(ctx, 'analyst');
  return storeJourneys(ctx, parseInput(ingestJourneysSchema, raw), `api:${ctx.actor.userId}`);
}
