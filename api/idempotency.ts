// Idempotency-Key for POSTs that create something (change requests, syncs, optimization runs, keys, rules,
// webhooks): the first answer is stored for 24 h per actor, method and path, and a retry with the same key and
// body gets it again (Idempotent-Replayed: true) instead of creating a second one. The same key with another body
// is refused; a retry while the first is still running gets 409.
// A claim is a lease: the process running the request renews it while it runs, and a claim left by a process that
// died (crash, kill) lapses after LEASE_MS — the next retry takes the key over and runs the request again. Running
// again is safe for change requests: the key is stored with the request (db/change-requests.ts), so the second run
// finds the request the dead process stored, and starts its workflow if it never was.
import type { MiddlewareHandler } from 'hono';
import { AppError } from '../core/errors.js';
import { sha256 } from '../services/auth/tokens.js';
import type { AppContext } from '../services/context.js';
import type { ApiEnv } from './env.js';

const TTL_MS = 24 * 3_600_000;
const IN_FLIGHT = 0;
/** An in-flight claim not renewed for this long belongs to a process that is gone. */
export const LEASE_MS = 60_000;
/** The running process renews its claim this often (well inside the lease). */
const RENEW_MS = 15_000;

export function idempotency(app: AppContext, opts: { leaseMs?: number; renewMs?: number } = {}): MiddlewareHandler<ApiEnv> {
  const leaseMs = opts.leaseMs ?? LEASE_MS;
  const renewMs = opts.renewMs ?? RENEW_MS;
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
      if (prior && prior.status !== IN_FLIGHT) return c.json(prior.body as object, prior.status as 200, { 'idempotent-replayed': 'true' });
      // In flight: take it over only when its lease lapsed (compare-and-set on the database's clock: one retry wins).
      const takenOver = prior
        ? await prisma.$executeRaw`update idempotency_record set created_at = now()
             where scope = ${scope} and key = ${key} and status = ${IN_FLIGHT} and request_hash = ${requestHash}
               and created_at < now() - make_interval(secs => ${leaseMs / 1000})`
        : 0;
      if (takenOver !== 1) {
        c.header('retry-after', String(Math.ceil(renewMs / 1000)));
        throw new AppError('CONFLICT', 'a request with this Idempotency-Key is still being processed; retry shortly');
      }
    }
    // Renew the lease while the request runs, so a slow request is never taken over by a retry.
    const renew = setInterval(() => {
      prisma.$executeRaw`update idempotency_record set created_at = now() where scope = ${scope} and key = ${key} and status = ${IN_FLIGHT}`.catch(() => {});
    }, renewMs);
    renew.unref();
    try {
      await next();
    } catch (e) {
      clearInterval(renew);
      await prisma.idempotencyRecord.deleteMany({ where: { scope, key, status: IN_FLIGHT } }).catch(() => {});
      throw e;
    }
    clearInterval(renew);
    if (c.res.status >= 200 && c.res.status < 300) {
      const body = (await c.res
        .clone()
        .json()
        .catch(() => ({}))) as object;
      await prisma.idempotencyRecord.update({ where: { scope_key: { scope, key } }, data: { status: c.res.status, body } });
    } else await prisma.idempotencyRecord.deleteMany({ where: { scope, key, status: IN_FLIGHT } }).catch(() => {});
  };
}
