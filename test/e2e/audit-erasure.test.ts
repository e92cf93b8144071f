// Issue 11, finding 7 ("the record can be erased"): the application connects as a role that owns nothing, so every
// way the finding erased the record now fails — as the application's role, on a synced workspace with a stored
// change request and audit events — and every row is still there afterwards. (The worker is stopped before the
// request, so no workflow writes rows while they are counted; the workflows' own tests cover approving.)
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Worker } from '@temporalio/worker';
import { recordAudit } from '../../db/audit.js';
import type { AppContext } from '../../services/context.js';
import { requestChange } from '../../services/change-requests/request-change.js';
import { startSync } from '../../services/sync/sync.js';
import { isolatedSandbox, memberContext, startInProcessWorker, testContext } from './harness.js';

let ctx: AppContext;
let worker: { worker: Worker; done: Promise<void> } | undefined;
let app: pg.Client;

beforeAll(async () => {
  ctx = await testContext();
  worker = await startInProcessWorker(ctx);
  app = new pg.Client({ connectionString: ctx.databaseUrl }); // exactly what the application connects with
  await app.connect();
});

afterAll(async () => {
  await app?.end();
  worker?.worker.shutdown();
  await worker?.done;
  await ctx?.close();
});

const counts = async () => {
  const { rows } = await app.query<{ audit: string; requests: string; items: string }>(
    `select (select count(*) from audit_event) as audit, (select count(*) from change_request) as requests,
            (select count(*) from change_item) as items`,
  );
  return rows[0]!;
};

describe('the record cannot be erased by the application', () => {
  it('runs as a role that is no superuser and owns no table', async () => {
    const { rows } = await app.query<{ user: string; superuser: boolean; bypassrls: boolean; owned: string; memberships: string }>(
      `select current_user as user, r.rolsuper as superuser, r.rolbypassrls as bypassrls,
              (select count(*) from pg_class c where c.relowner = r.oid) as owned,
              (select count(*) from pg_auth_members m where m.member = r.oid) as memberships
         from pg_roles r where r.rolname = current_user`,
    );
    expect(rows[0]).toMatchObject({ superuser: false, bypassrls: false, owned: '0', memberships: '0' });
    expect(rows[0]!.user).not.toBe(new URL(inject('adminDatabaseUrl')).username);
  });

  it('every erasure of finding 7 fails as the application role, and every row is still there', async () => {
    // A history: synced, a change requested (stored with its items), audit events written the application's way.
    const s = await isolatedSandbox(ctx, { historyDays: 10, campaignsPerAccount: 2 });
    const ws = await ctx.prisma.workspace.findUniqueOrThrow({ where: { slug: s.workspace } });
    for (const id of ['ana', 'paul']) await ctx.prisma.appUser.upsert({ where: { id }, create: { id, displayName: id }, update: {} });
    await ctx.prisma.member.createMany({
      data: [
        { workspaceId: ws.id, userId: 'ana', role: 'analyst' },
        { workspaceId: ws.id, userId: 'paul', role: 'approver' },
      ],
    });
    const ana = await memberContext(ctx, s.workspace, 'ana', 'analyst');
    await (await startSync(ana, { from: '2026-05-25', to: '2026-05-31' })).handle.result();
    worker!.worker.shutdown();
    await worker!.done;
    worker = undefined;
    const google = s.accounts.find((a) => a.platform === 'google_ads')!;
    const campaign = await ctx.prisma.campaign.findFirstOrThrow({ where: { accountId: google.id }, orderBy: { externalId: 'asc' } });
    const toBudget = (Math.round(Number(campaign.dailyBudget!.toString()) * 110) / 100).toFixed(2);
    const { id: requestId } = await requestChange(ana, {
      reason: 'audit erasure test',
      items: [{ campaign: campaign.externalId, kind: 'budget', toBudget }],
    });
    for (const action of ['test.requested', 'test.approved'])
      await recordAudit(ctx.prisma, { workspaceId: ws.id, actor: 'paul', action, entityType: 'change_request', entityId: requestId });

    const before = await counts();
    expect(Number(before.audit)).toBeGreaterThan(0);
    expect(Number(before.requests)).toBeGreaterThan(0);
    expect(Number(before.items)).toBeGreaterThan(0);

    const attempts: Array<[string, RegExp]> = [
      ['set session_replication_role = replica', /permission denied to set parameter "session_replication_role"/],
      ['alter role current_user set session_replication_role = replica', /permission denied to set parameter "session_replication_role"/],
      ['delete from audit_event', /permission denied for table audit_event/],
      [`update audit_event set actor = 'nobody'`, /permission denied for table audit_event/],
      ['truncate change_item, change_request cascade', /permission denied for table change_(item|request)/],
      ['truncate audit_event', /permission denied for table audit_event/],
      ['delete from change_item', /permission denied for table change_item/],
      ['delete from change_request', /permission denied for table change_request/],
      ['drop table audit_event', /must be owner of table audit_event/],
      ['drop table change_item cascade', /must be owner of table change_item/],
      ['alter table audit_event disable trigger all', /must be owner of table audit_event/],
      ['alter table change_item disable trigger user', /must be owner of table change_item/],
      ['alter table audit_event owner to current_user', /must be owner of table audit_event/],
      ['create table public.shadow (id int)', /permission denied for schema public/],
      ['set role postgres', /permission denied to set role "postgres"/],
      ['reset session authorization; delete from audit_event', /permission denied for table audit_event/],
    ];
    for (const [sql, refusal] of attempts) {
      await expect(app.query(sql), sql).rejects.toThrow(refusal);
    }
    // The same, inside one transaction, as the finding did it.
    await expect(app.query('begin; set local session_replication_role = replica; delete from audit_event; commit')).rejects.toThrow(/permission denied/);
    await app.query('rollback').catch(() => {});

    expect(await counts()).toEqual(before);
    // …and the application can still do its job: append to the record.
    await recordAudit(ctx.prisma, { workspaceId: ws.id, actor: 'test', action: 'test.append', entityType: 'test', entityId: requestId });
    expect(Number((await counts()).audit)).toBe(Number(before.audit) + 1);
  });
});
