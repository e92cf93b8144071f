// `npm run openapi`: prints the OpenAPI 3.1 document without a running stack (for client generation). The
// routes are built on a context whose database and Temporal are never touched.
import { loadConfig } from '../lib/config.js';
import type { AppContext } from '../services/context.js';
import { createApp, openApiInfo } from './app.js';

const unused = () => {
  throw new Error('not connected: the OpenAPI document needs no database');
};
const config = loadConfig();
const offline = { config, databaseUrl: '', pool: unused, prisma: unused, temporal: unused, close: async () => {} } as unknown as AppContext;
process.stdout.write(JSON.stringify(createApp(offline).getOpenAPI31Document(openApiInfo(offline)), null, 2) + '\n');
