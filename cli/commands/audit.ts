// `mbo audit`: the workspace's audit trail (anyone may read it), newest first, filtered by actor, entity, action
// and period. `--since 24h` / `7d` / a date / an ISO time.
import type { Command } from 'commander';
import { listAuditSchema } from '../../services/audit/audit.schema.js';
import { printJson, printTable, say, when } from '../output.js';
import { num, validate, withApi } from '../run.js';

/** "24h" / "7d" / "30m" → that long ago; "2026-06-01" → its start (UTC); anything else as given (the schema judges). */
export function sinceTime(v: string | undefined, now = Date.now()): string | undefined {
  if (v === undefined) return undefined;
  const rel = /^(\d+)([mhd])$/.exec(v.trim());
  if (rel) return new Date(now - Number(rel[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[rel[2] as 'm' | 'h' | 'd']).toISOString();
  if (/^\d{4}-\d{2}-\d{2}$/.test(v.trim())) return `${v.trim()}T00:00:00Z`;
  return v;
}

const compact = (v: unknown) => (v === null || v === undefined ? '' : JSON.stringify(v));

export function registerAudit(program: Command) {
  program
    .command('audit')
    .description('the audit trail, newest first')
    .option('--actor <user>', 'only what this member (or "mbo", the system) did')
    .option('--entity <type[:id]>', 'only this kind of entity, e.g. change_request, rule:<id>, api_key')
    .option('--action <action>', 'an action, or a prefix ending in "." (e.g. change_request.)')
    .option('--since <time>', 'from: 24h, 7d, a date (YYYY-MM-DD) or an ISO time')
    .option('--until <time>', 'up to: a date or an ISO time')
    .option('--limit <n>', 'at most this many events', '50')
    .option('--json', 'machine-readable output')
    .action((opts: { actor?: string; entity?: string; action?: string; since?: string; until?: string; limit: string; json?: boolean }) => {
      const [entityType, ...rest] = opts.entity?.split(':') ?? [];
      const q = validate(
        listAuditSchema,
        {
          actor: opts.actor,
          entityType,
          entityId: rest.length ? rest.join(':') : undefined,
          action: opts.action,
          since: sinceTime(opts.since),
          until: sinceTime(opts.until),
          limit: num(opts.limit),
        },
        { actor: '--actor', entityType: '--entity', entityId: '--entity', action: '--action', since: '--since', until: '--until', limit: '--limit' },
        opts.json,
      );
      return withApi(opts, async ({ api }) => {
        const page = await api.audit(q);
        if (opts.json) return printJson(page);
        if (!page.items.length) return say('No audit events match.');
        printTable(
          ['When', 'Actor', 'Action', 'Entity', 'Before', 'After'],
          page.items.map((e) => [
            when(e.occurredAt),
            e.actor,
            e.action,
            `${e.entityType}:${/^[0-9a-f]{8}-/.test(e.entityId) ? e.entityId.slice(0, 8) : e.entityId}`,
            compact(e.before).slice(0, 60),
            compact(e.after ?? e.details).slice(0, 60),
          ]),
        );
        if (page.nextCursor) say(`(more: --limit ${q.limit * 2}, or narrow with --since / --action)`);
      });
    });
}
