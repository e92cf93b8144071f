// What every request carries through the Hono app: the request id and, once authenticated, the actor.
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Actor } from '../services/actor.js';

export interface ApiEnv {
  Variables: {
    requestId: string;
    actor?: Actor;
    sessionId?: string;
  };
}

export type ApiApp = OpenAPIHono<ApiEnv>;
