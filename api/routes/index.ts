// Every route of the API, registered on one app: health at the root, everything else under /api/v1.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppContext } from '../../services/context.js';
import type { ApiApp, ApiEnv } from '../env.js';
import { registerAccounts } from './accounts.js';
import { registerAi } from './ai.js';
import { registerChangeRequests } from './change-requests.js';
import { registerHealth } from './health.js';
import { registerIdentity } from './identity.js';
import { registerReports } from './reports.js';
import { registerJourneys } from './journeys.js';
import { registerInsights } from './insights.js';
import { registerNotifications } from './notifications.js';
import { registerOperations } from './operations.js';
import { registerSandbox } from './sandbox.js';
import { registerSyncProgress } from './sync-progress.js';
import { registerOptimization } from './optimization.js';
import { registerWebhooks } from './webhooks.js';
import { registerWhatsApp } from './whatsapp.js';
import { registerWorkspaceData } from './workspace-data.js';

/** Paths under /api/v1 that need no credential (a trailing "/" means every path below it). */
export const PUBLIC_PATHS = ['/api/v1/openapi.json', '/api/v1/docs', '/api/v1/auth/login', '/api/v1/webhooks/decisions/', '/api/v1/whatsapp/webhook/'];

export function registerRoutes(api: ApiApp, app: AppContext) {
  registerHealth(api, app);
  const v1 = new OpenAPIHono<ApiEnv>({ defaultHook: (api as unknown as { defaultHook: never }).defaultHook });
  registerIdentity(v1, app);
  registerWorkspaceData(v1, app);
  registerAccounts(v1, app);
  registerChangeRequests(v1, app);
  registerOperations(v1, app);
  registerSyncProgress(v1, app);
  registerSandbox(v1, app);
  registerOptimization(v1, app);
  registerWebhooks(v1, app);
  registerNotifications(v1, app);
  registerAi(v1, app);
  registerWhatsApp(v1, app);
  registerInsights(v1, app);
  registerJourneys(v1, app);
  registerReports(v1, app);
  api.route('/api/v1', v1);
}
