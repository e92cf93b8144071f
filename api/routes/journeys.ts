// /api/v1 journeys and attribution: journey batches and CSV imports in (analyst), the attribution report out
// (viewer) with every model side by side, per channel and per campaign.
import { z } from 'zod';
import type { AppContext } from '../../services/context.js';
import { attributionReportSchema, attributionReportView } from '../../services/attribution/attribution.schema.js';
import { attributionReport } from '../../services/attribution/attribution-report.js';
import { importJourneysCsv } from '../../services/journeys/import-journeys-csv.js';
import { ingestJourneys } from '../../services/journeys/ingest-journeys.js';
import { importJourneysCsvSchema, ingestJourneysSchema } from '../../services/journeys/journeys.schema.js';
import { serviceContext } from '../auth.js';
import type { ApiApp } from '../env.js';
import { body, json, route } from '../openapi.js';

const counts = z.object({ touchpoints: z.number().int(), conversions: z.number().int() });
const ingestView = z.object({ received: counts, stored: counts, duplicates: z.number().int().describe('rows already stored (ingest is idempotent)') });

export const journeysIngest = route({
  method: 'post',
  path: '/journeys',
  tags: ['Journeys'],
  summary: 'Store a batch of touchpoints and conversions (analyst); idempotent, all or nothing',
  request: body(ingestJourneysSchema),
  responses: { 200: json(ingestView, 'What was received and what was new') },
  errors: [],
});
export const journeysImport = route({
  method: 'post',
  path: '/journeys/import',
  tags: ['Journeys'],
  summary: 'Import journeys from CSV text (analyst); errors name their line and nothing is stored',
  request: body(importJourneysCsvSchema),
  responses: { 200: json(ingestView, 'What was received and what was new') },
  errors: [],
});
export const attribution = route({
  method: 'get',
  path: '/attribution',
  tags: ['Journeys'],
  summary: 'Attribution of conversions by every model (rule-based, Markov, Shapley), per channel and per campaign',
  request: { query: attributionReportSchema },
  responses: { 200: json(attributionReportView, 'Credit per model') },
  errors: [],
});

export function registerJourneys(api: ApiApp, app: AppContext) {
  api.openapi(journeysIngest, async (c) => c.json(await ingestJourneys(serviceContext(app, c), c.req.valid('json')), 200));
  api.openapi(journeysImport, async (c) => c.json(await importJourneysCsv(serviceContext(app, c), c.req.valid('json')), 200));
  api.openapi(attribution, async (c) => c.json((await attributionReport(serviceContext(app, c), c.req.valid('query'))) as never, 200));
}
