// Idempotency-Key for POSTs that create something (change requests, syncs, optimization runs, keys, rules,
// webhooks): the first answer is stored for 24 h per actor, method and path, and a retry with the same key and
// body gets it again (Idempotent-Replayed: true) instead of creating a second one. The same key with another body
// is refused; a retry while the first is still running gets 409.
import type { MiddlewareHandler } from 'hono';
import { AppError } from '../core/errors.js';
import { sha256 } from '../services/auth/tokens.js';
import type { AppContext } from '../services/context.js';
import type { ApiEnv } from './env.js';

const TTL_MS = 24 * 3_600_000;
const IN_FLIGHT = 0;

export function idempotency(app: AppContext): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (c.req.method !== 'POST' || key === undefined) return next();
    if (!/^[\x21-\x7e]{8,200}$/.test(key)) throw new AppError('INVALID_INPUT', 'Idempotency-Key: 8 to 200 visible ASCII characters');
    const actor = c.get('actor');
    if (!actor) return next();
    const scope = `${actor.workspaceId}:${actor.userId}:POST ${c.req.path}`;
    const requestHash = sha256(await c.req.raw.clone().text());
    const prisma = app.prisma;
    await prisma.idempotencyRecord.deleteMany({ where: { scope, key, createdAt: { lt: new Date(Date.now() - TTL_MS) } } }).catch(() => {});
    const claimed = await prisma.idempotencyRecord.createMany({ data: [{ scope, key, requestHash, status: IN_FLIGHT, body: {} }], skipDuplicates: true });
    if (claimed.count === 0) {
      const prior = await prisma.idempotencyRecord.findUnique({ where: { scope_key: { scope, key } } });
      if (prior && prior.requestHash !== requestHash) throw new AppError('VALIDATION', 'this Idempotency-Key was used with a different request body');
      if (!prior || prior.status === IN_FLIGHT) throw new AppError('CONFLICT', 'a request with this Idempotency-Key is still being processed; retry shortly');
      return c.json(prior.body as object, prior.status as 200, { 'idempotent-replayed': 'true' });
    }
    try {
      await next();
    } catch (e) {
      await prisma.idempotencyRecord.deleteMany({ where: { scope, key } }).catch(() => {});
      throw e;
    }
    if (c.res.status >= 200 && c.res.status < 300) {
      const body = (await c.res
        .clone()
        .json()
        .catch(() => ({}))) as object;
      await prisma.idempotencyRecord.update({ where: { scope_key: { scope, key } }, data: { status: c.res.status, body } });
    } else await prisma.idempotencyRecord.deleteMany({ where: { scope, key } }).catch(() => {});
  };
}
