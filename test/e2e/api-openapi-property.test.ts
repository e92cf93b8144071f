// The API holds to its own document: requests generated (fast-check) from the served /api/v1/openapi.json — every
// operation's path, query and body schemas, valid values and invalid ones (wrong types, out of range, missing
// fields, ids of this workspace and made-up ones) — sent in-process with an admin key. Every answer must be a
// status the operation documents, never a 5xx; every 4xx a problem+json; every JSON success shaped as documented.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiApp } from '../../api/env.js';
import type { AppContext } from '../../services/context.js';
import { apiContext, apiFor, apiWorld, call, userOf, type ApiWorld } from './api-harness.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON Schema nodes as the document has them
type Schema = any;
type Operation = {
  method: string;
  path: string;
  parameters: { in: string; name: string; required?: boolean; schema: Schema }[];
  body?: Schema;
  responses: Record<string, Schema>;
};

/** Runs per operation (~50 operations); logging in and setting a password hash with scrypt on purpose (slow). */
const RUNS = 25;
const RUNS_FOR: Record<string, number> = { 'POST /api/v1/auth/login': 8, 'PUT /api/v1/me/password': 8 };
/** Operations that reach beyond loopback (connecting a live ad account calls the platform's servers). */
const SKIP = new Set(['POST /api/v1/accounts', 'POST /api/v1/analytics/ga4']); // ga4: conn (reaches Google)

// Set up at collection time (top-level await): the operations of the served document become one test each.
const ctx: AppContext = await apiContext();
const app: ApiApp = apiFor(ctx);
let w: ApiWorld;
let doc: { paths: Record<string, Record<string, Schema>>; components?: { schemas?: Record<string, Schema> } };
let known: string[] = [];
const operations: Operation[] = [];

{
  // No worker: workflows the generated requests start simply wait in the task queue (readiness is then 503, documented).
  w = await apiWorld(ctx, { sync: false });
  const google = w.accounts.find((a) => a.platform === 'google_ads')!;
  const campaign = await ctx.prisma.campaign.create({
    data: {
      accountId: google.id,
      externalId: `prop-${w.workspaceId.slice(0, 8)}`,
      name: 'Property campaign',
      status: 'ACTIVE',
      dailyBudget: '100',
      currency: google.currency,
    },
  });
  // Values of this workspace the generator mixes in, so requests reach past "not found" (never the admin's own
  // id or key: a generated request that removed the admin would leave the rest of the run at 401).
  const rule = await call(app, 'POST', '/api/v1/rules', { key: w.keys.admin, body: { name: 'property rule', when: 'spend(7d) > 1', then: 'alert' } });
  const req = await call(app, 'POST', '/api/v1/change-requests', {
    key: w.keys.analyst,
    body: { reason: 'property', items: [{ kind: 'pause', campaign: campaign.externalId }] },
  });
  const alert = await ctx.prisma.alert.create({
    data: { workspaceId: w.workspaceId, kind: 'test', severity: 'info', message: 'm', dedupKey: 'p', entityType: 'workspace', entityId: w.workspaceId },
  });
  const hook = await call(app, 'POST', '/api/v1/webhooks', { key: w.keys.admin, body: { url: 'http://127.0.0.1:9/hooks/p' } });
  const key = await call(app, 'POST', '/api/v1/api-keys', { key: w.keys.admin, body: { name: 'victim', userId: userOf(w, 'viewer') } });
  known = [
    w.workspace,
    google.id,
    google.externalId,
    campaign.id,
    campaign.externalId,
    rule.body.id,
    'property rule',
    req.body.id,
    alert.id,
    hook.body.id,
    key.body.prefix,
    userOf(w, 'viewer'),
    userOf(w, 'analyst'),
    'google_ads',
    '2026-05-31',
  ];
  doc = (await call(app, 'GET', '/api/v1/openapi.json')).body;
  for (const [path, ops] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(ops)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      operations.push({
        method: method.toUpperCase(),
        path,
        parameters: op.parameters ?? [],
        body: op.requestBody?.content?.['application/json']?.schema,
        responses: op.responses,
      });
    }
}

afterAll(async () => {
  await ctx?.close();
});

const deref = (s: Schema): Schema => {
  if (s?.$ref) return deref(doc.components!.schemas![String(s.$ref).split('/').pop()!]);
  return s ?? {};
};

// ---- generating values from a schema -------------------------------------------------------------------------

const day = (min: string, max: string) => fc.date({ min: new Date(min), max: new Date(max), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
/** Mostly days near the data (ranges that make sense), sometimes far ones. */
const isoDay = fc.oneof({ weight: 4, arbitrary: day('2026-03-01', '2026-12-31') }, { weight: 1, arbitrary: day('1990-01-01', '2110-12-31') });

/**
 * Values that fit the schema (as far as JSON Schema says; the domain may still refuse them). Strict: every nested
 * value fits too; else nested values are sometimes invalid.
 */
function valid(s0: Schema, depth = 0, strict = false): fc.Arbitrary<unknown> {
  const s = deref(s0);
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const branches = s.anyOf ?? s.oneOf;
  if (branches) return fc.oneof(...branches.map((b: Schema) => valid(b, depth + 1, strict)));
  if (s.allOf) return valid(Object.assign({}, ...s.allOf.map(deref)), depth, strict);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'string': {
      const max = Math.min(s.maxLength ?? 40, 60);
      const min = Math.min(s.minLength ?? 0, max);
      const fits = (v: string) => v.length >= min && v.length <= (s.maxLength ?? Infinity);
      // (No .filter on generators: one that never passes would spin forever. Values may break a length bound: the
      // server answers 400 then, which is documented.)
      const mine = known.filter(fits);
      const options: fc.Arbitrary<string>[] = mine.length ? [fc.constantFrom(...mine)] : [];
      if (s.format === 'uuid') options.push(fc.uuid());
      else if (s.format === 'date') options.push(isoDay);
      else if (s.format === 'date-time')
        options.push(fc.date({ min: new Date('1990-01-01'), max: new Date('2110-01-01'), noInvalidDate: true }).map((d) => d.toISOString()));
      else if (s.format === 'email') options.push(fc.emailAddress());
      else if (s.format === 'uri') options.push(fc.webUrl());
      else if (s.pattern) {
        try {
          options.push(fc.stringMatching(new RegExp(s.pattern)));
        } catch {
          options.push(fc.string({ minLength: min, maxLength: max }));
        }
      } else options.push(fc.string({ minLength: min, maxLength: max }), fc.stringMatching(/^\d{1,6}(\.\d{1,3})?$/));
      return fc.oneof(...options);
    }
    case 'integer':
      return fc.integer({ min: Math.max(s.minimum ?? -1e6, -1e9), max: Math.min(s.maximum ?? 1e6, 1e9) });
    case 'number': {
      const min = s.minimum ?? s.exclusiveMinimum ?? -1e6;
      const max = s.maximum ?? 1e6;
      return fc.double({ min, max, minExcluded: s.exclusiveMinimum !== undefined, noNaN: true, noDefaultInfinity: true });
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(depth > 3 ? fc.constant(null) : valid(s.items ?? {}, depth + 1, strict), {
        minLength: s.minItems ?? 0,
        maxLength: Math.min(s.maxItems ?? 4, 4),
      });
    case 'object': {
      const props: Record<string, Schema> = s.properties ?? {};
      const model = Object.fromEntries(
        Object.entries(props).map(([k, v]) => [k, depth > 3 ? fc.constant(null) : strict ? valid(v, depth + 1, true) : maybeInvalid(v, depth + 1)]),
      );
      return fc.record(model, { requiredKeys: (s.required ?? []).filter((k: string) => k in model) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Values that break the schema: other types, out-of-range numbers, overlong or odd strings. */
function invalid(s0: Schema): fc.Arbitrary<unknown> {
  const s = deref(s0);
  const odd: fc.Arbitrary<unknown>[] = [
    fc.constant(null),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.string({ maxLength: 30 }),
    fc.constant([]),
    fc.constant({}),
    fc.constantFrom('', ' ', '-1', '0', '1e14', '100000000000000', '10.123', 'NaN', '\u0000', '../../etc/passwd', "' or 1=1 --", '%00', '😀'),
  ];
  if (s.maxLength !== undefined) odd.push(fc.constant('x'.repeat(s.maxLength + 1)));
  if (s.maximum !== undefined) odd.push(fc.constantFrom(s.maximum + 1, s.maximum + 0.5, 1e308));
  if (s.minimum !== undefined) odd.push(fc.constantFrom(s.minimum - 1, s.minimum - 0.5, -1e308));
  if (s.type === 'object' && s.required?.length) odd.push(valid(s).map((v) => ({ ...(v as object), [s.required[0]]: undefined })));
  return fc.oneof(...odd);
}

const maybeInvalid = (s: Schema, depth = 0) => fc.oneof({ weight: 5, arbitrary: valid(s, depth) }, { weight: 1, arbitrary: invalid(s) });
/** Half the requests fit the document all the way down; the others may break it anywhere. */
const anyValue = (s: Schema, strict: boolean) => (strict ? valid(s, 0, true) : maybeInvalid(s));

/** A query or path value as text (arrays repeat the parameter). */
const asText = (v: unknown): string[] => (Array.isArray(v) ? v.flatMap(asText) : v === undefined ? [] : [typeof v === 'string' ? v : JSON.stringify(v)]);

type Generated = { path: string; query: [string, string][]; body?: { raw: string; type: string } };

function requestFor(op: Operation): fc.Arbitrary<Generated> {
  return fc.boolean().chain((strict) => requestOf(op, strict));
}

function requestOf(op: Operation, strict: boolean): fc.Arbitrary<Generated> {
  const params = op.parameters.filter((p) => p.in === 'path' || p.in === 'query');
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const p of params) {
    let a = anyValue(p.schema, strict);
    // Following an event stream lasts until its timeout: keep generated streams short.
    const short = op.path.endsWith('/events') && p.name === 'timeoutSeconds';
    if (short) a = strict ? fc.constantFrom(1, 2) : fc.constantFrom(1, 2, 0, -1, 601, 'x');
    model[`${p.in}:${p.name}`] = p.in === 'path' || p.required || short ? a : fc.option(a, { nil: undefined });
  }
  const body = op.body
    ? fc.oneof(
        { weight: 12, arbitrary: anyValue(op.body, strict).map((v) => ({ raw: JSON.stringify(v) ?? 'null', type: 'application/json' })) },
        {
          weight: strict ? 0 : 1,
          arbitrary: fc.constantFrom(
            { raw: '{"a":', type: 'application/json' },
            { raw: 'a=1', type: 'application/x-www-form-urlencoded' },
            { raw: '{}', type: 'text/plain' },
          ),
        },
      )
    : fc.constant(undefined);
  return fc.record({ values: fc.record(model), body }).map(({ values, body }) => {
    let path = op.path;
    const query: [string, string][] = [];
    for (const p of params) {
      const texts = asText(values[`${p.in}:${p.name}`]);
      if (p.in === 'path') path = path.replace(`{${p.name}}`, encodeURIComponent(texts[0] || 'x'));
      else for (const t of texts) query.push([p.name, t]);
    }
    return { path, query, body };
  });
}

// ---- checking an answer against the document -----------------------------------------------------------------

/** Where `value` breaks `schema` (the JSON Schema subset the document uses), or [] when it conforms. */
function conforms(s0: Schema, value: unknown, at = '$'): string[] {
  const s = deref(s0);
  if (s.const !== undefined) return value === s.const ? [] : [`${at}: not ${JSON.stringify(s.const)}`];
  if (s.enum) return s.enum.includes(value) ? [] : [`${at}: ${JSON.stringify(value)} not in ${JSON.stringify(s.enum)}`];
  const branches = s.anyOf ?? s.oneOf;
  if (branches) return branches.some((b: Schema) => conforms(b, value, at).length === 0) ? [] : [`${at}: matches no alternative`];
  if (s.allOf) return s.allOf.flatMap((b: Schema) => conforms(b, value, at));
  const types: string[] = s.type ? (Array.isArray(s.type) ? s.type : [s.type]) : [];
  const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' && Number.isInteger(v) ? 'integer' : typeof v);
  const t = typeOf(value);
  if (types.length && !types.includes(t) && !(t === 'integer' && types.includes('number'))) return [`${at}: ${t}, documented ${types.join('|')}`];
  if (t === 'object') {
    const o = value as Record<string, unknown>;
    const out = (s.required ?? []).filter((k: string) => !(k in o)).map((k: string) => `${at}.${k}: missing`);
    for (const [k, v] of Object.entries(o)) {
      if (s.properties?.[k]) out.push(...conforms(s.properties[k], v, `${at}.${k}`));
      else if (s.additionalProperties === false) out.push(`${at}.${k}: not documented`);
      else if (typeof s.additionalProperties === 'object') out.push(...conforms(s.additionalProperties, v, `${at}.${k}`));
    }
    return out;
  }
  if (t === 'array' && s.items) return (value as unknown[]).flatMap((v, i) => conforms(s.items, v, `${at}[${i}]`));
  return [];
}

async function check(op: Operation, g: Generated): Promise<number> {
  const qs = g.query.length ? `?${new URLSearchParams(g.query).toString()}` : '';
  const r = await call(app, op.method, g.path + qs, { key: w.keys.admin, raw: g.body?.raw, headers: g.body ? { 'content-type': g.body.type } : {} });
  const what = `${op.method} ${g.path}${qs} ${g.body?.raw.slice(0, 300) ?? ''} → ${r.status} ${r.text.slice(0, 300)}`;
  // No 5xx — except /readyz's documented "not ready" (no worker polls in this file), which is its answer, not a failure.
  if (!(op.path === '/readyz' && r.status === 503)) expect(r.status, what).toBeLessThan(500);
  expect(Object.keys(op.responses), `undocumented status: ${what}`).toContain(String(r.status));
  if (r.status >= 400 && op.path !== '/readyz') {
    expect(r.headers.get('content-type'), what).toMatch(/^application\/problem\+json/);
    expect(r.body, what).toMatchObject({ status: r.status, code: expect.any(String), detail: expect.any(String) });
    expect(conforms(op.responses[String(r.status)].content['application/problem+json'].schema, r.body), what).toEqual([]);
    return r.status;
  }
  const content = op.responses[String(r.status)].content;
  if (!content) expect(r.text, what).toBe('');
  // A route that answers several media types (reports: Markdown, HTML, CSV, JSON) answers one of its documented
  // ones; the body is held to a schema when it is JSON.
  const type = (r.headers.get('content-type') ?? '').split(';')[0]!.trim();
  if (content && r.status < 300) expect(Object.keys(content), `undocumented media type: ${what}`).toContain(type);
  const schema = type === 'application/json' ? content?.['application/json']?.schema : undefined;
  if (schema) expect(conforms(schema, r.body), what).toEqual([]);
  return r.status;
}

describe('the API against its OpenAPI document', () => {
  it('documents every route it serves under /api/v1, each with problem+json errors', () => {
    expect(operations.length).toBeGreaterThan(40);
    for (const op of operations) {
      const errors = Object.entries(op.responses).filter(([s]) => Number(s) >= 400);
      expect(errors.length, `${op.method} ${op.path}`).toBeGreaterThan(0);
      for (const [, r] of errors) expect(Object.keys(r.content ?? {}), `${op.method} ${op.path}`).toEqual(['application/problem+json']);
    }
  });

  const seen: Record<string, Set<number>> = {};
  for (const op of operations) {
    const name = `${op.method} ${op.path}`;
    it.skipIf(SKIP.has(name))(`${name}: generated requests get documented answers, never a 5xx`, async () => {
      seen[name] = new Set();
      await fc.assert(
        fc.asyncProperty(requestFor(op), async (g) => {
          seen[name]!.add(await check(op, g));
        }),
        { numRuns: RUNS_FOR[name] ?? RUNS, endOnFailure: true },
      );
    });
  }

  it('reaches past the door: many operations answered a success as well as refusals', () => {
    const never = Object.entries(seen).filter(([, s]) => ![...s].some((x) => x < 300));
    expect(never.length / Object.keys(seen).length, `never succeeded: ${never.map(([n, s]) => `${n} (${[...s].join(',')})`).join('; ')}`).toBeLessThan(0.6);
  });
});
