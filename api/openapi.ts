// Route-building helpers: every route declares its input schemas (the use cases' own) and its responses,
// including the problem+json errors it can answer with, so the OpenAPI document is complete and the property
// test can hold every response to it.
import { createRoute, type RouteConfig } from '@hono/zod-openapi';
import { z } from 'zod';
import { problemSchema } from './problem.js';

type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503;
const DESCRIPTION: Record<ErrorStatus, string> = {
  400: 'The input does not match its schema',
  401: 'No credential, or a bad, expired or revoked one',
  403: "The actor's role does not allow it",
  404: 'Not found in this workspace',
  409: 'Conflicts with the current state',
  413: 'Body larger than 1 MB',
  415: 'Body is not application/json',
  422: 'Refused by a domain rule',
  429: 'Rate limit reached (see Retry-After)',
  503: 'The database or Temporal is not reachable',
};

export function problems(...statuses: ErrorStatus[]) {
  return Object.fromEntries(
    [...new Set<ErrorStatus>([...statuses, 429, 503])].map((s) => [
      s,
      { description: DESCRIPTION[s], content: { 'application/problem+json': { schema: problemSchema } } },
    ]),
  );
}

/** Errors every authenticated route may answer with. */
const AUTHED: ErrorStatus[] = [400, 401, 403];
const BODY: ErrorStatus[] = [413, 415];

export const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

export function route<R extends Omit<RouteConfig, 'responses'> & { responses: RouteConfig['responses']; errors?: ErrorStatus[]; public?: boolean }>(r: R) {
  const { errors = [], public: isPublic, ...rest } = r;
  const hasBody = !!r.request?.body;
  return createRoute({
    ...rest,
    ...(isPublic ? {} : { security: [{ apiKey: [] }, { session: [] }] }),
    responses: { ...rest.responses, ...problems(...(isPublic ? [] : AUTHED), ...(hasBody ? BODY : []), ...errors) },
  } as RouteConfig) as unknown as Omit<R, 'errors' | 'public'>;
}

export const body = <T extends z.ZodType>(schema: T) => ({ body: { content: { 'application/json': { schema } }, required: true } });

export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** A loosely described object (fields documented by the use case's view where one exists). */
export const anyObject = z.record(z.string(), z.unknown());
