// The shared `pg` pool: set-based SQL (bulk upserts, aggregates) and the sandbox's own schema. A database restart
// fails the queries in flight (retried by their callers) and never the process.
// DATE stays an ISO string (a calendar label, never shifted by the host time zone); NUMERIC and BIGINT stay strings.
import pg from 'pg';

pg.types.setTypeParser(1082, (v: string) => v);

const pools = new Map<string, pg.Pool>();

export function getPool(url: string): pg.Pool {
  let pool = pools.get(url);
  if (!pool) {
    pool = new pg.Pool({ connectionString: url, max: 10, idleTimeoutMillis: 10_000 });
    pool.on('error', () => {}); // idle-client errors surface on the next query instead of crashing the process
    // A client checked out with pool.connect() (COPY, transactions, the sandbox) has no listener of the pool's while
    // it is out: when the server goes away (restart, failover) pg emits 'error' on it, and an unhandled 'error' event
    // kills the process. The error also reaches the query in flight, which fails (activities retry it); the dead
    // client is discarded when released.
    pool.on('connect', (client) => client.on('error', () => {}));
    pools.set(url, pool);
  }
  return pool;
}

export async function closePools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((p) => p.end().catch(() => {})));
}
