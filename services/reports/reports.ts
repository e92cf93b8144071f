// Use cases for performance reports: render one now (viewers and above) as Markdown, HTML, CSV or JSON; schedule
// the report's delivery to the workspace webhooks (analysts and above; a Temporal Schedule running ReportWorkflow,
// updated in place), read or remove that schedule, and deliver once now.
import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import { AppError } from '../../core/errors.js';
import { auditAs } from '../audit-trail.js';
import { requireRole, type ServiceContext } from '../actor.js';
import { parseInput } from '../input.js';
import { REPORT_WORKFLOW, type ReportInput, type ReportWorkflowType } from '../../workflows/report.contract.js';
import { Kind, Workspace } from '../../workflows/search-attributes.js';
import { buildReport } from './build-report.js';
import { renderCsv, renderHtml, renderMarkdown } from './render.js';
import { reportSchema, runReportSchema, scheduleReportSchema } from './reports.schema.js';

const CONTENT_TYPE = { markdown: 'text/markdown; charset=utf-8', html: 'text/html; charset=utf-8', csv: 'text/csv; charset=utf-8', json: 'application/json' };

export async function generateReport(ctx: ServiceContext, raw: unknown = {}) {
  requireRole(ctx, 'viewer');
  const q = parseInput(reportSchema, raw);
  const report = await buildReport(ctx.app.pool, { id: ctx.actor.workspaceId, slug: ctx.actor.workspace }, q);
  const body =
    q.format === 'markdown'
      ? renderMarkdown(report)
      : q.format === 'html'
        ? await renderHtml(report)
        : q.format === 'csv'
          ? renderCsv(report)
          : JSON.stringify(report);
  return { format: q.format, contentType: CONTENT_TYPE[q.format], body, report };
}

const scheduleId = (ctx: ServiceContext) => `report-${ctx.actor.workspaceId}`;

export async function scheduleReport(ctx: ServiceContext, raw: unknown = {}) {
  requireRole(ctx, 'analyst');
  const q = parseInput(scheduleReportSchema, raw);
  const client = await ctx.app.temporal();
  const id = scheduleId(ctx);
  const args: ReportInput = { workspace: ctx.actor.workspace, days: q.days };
  const spec = { cronExpressions: [q.cron], timezone: q.timeZone };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: REPORT_WORKFLOW,
    workflowId: `${id}-scheduled`,
    taskQueue: ctx.app.config.temporal.taskQueue,
    args: [args],
    typedSearchAttributes: [
      { key: Kind, value: 'report' },
      { key: Workspace, value: ctx.actor.workspace },
    ],
  };
  const create = () =>
    client.schedule.create({ scheduleId: id, spec, action, memo: { cron: q.cron, days: q.days }, policies: { overlap: ScheduleOverlapPolicy.SKIP } });
  // Temporal refuses a cron it cannot read (e.g. "99 * * * *") as an invalid argument: that is bad input.
  const refused = (e: unknown) =>
    (e as { code?: number })?.code === 3 || /invalid.?argument/i.test((e as Error)?.message ?? '')
      ? new AppError('VALIDATION', `the schedule was refused: ${(e as Error).message.split('\n')[0]}`)
      : e;
  try {
    await create();
  } catch (e) {
    if (!(e instanceof ScheduleAlreadyRunning)) throw refused(e);
    // Replaced rather than updated, so that its memo (the cron text as given) stays true.
    await client.schedule.getHandle(id).delete();
    await create().catch((e2: unknown) => {
      throw refused(e2);
    });
  }
  await auditAs(ctx, ctx.app.prisma, { action: 'report.scheduled', entityType: 'report_schedule', entityId: id, details: { ...q } });
  return { scheduleId: id, cron: q.cron, timeZone: q.timeZone, days: q.days };
}

export async function getReportSchedule(ctx: ServiceContext) {
  requireRole(ctx, 'viewer');
  const client = await ctx.app.temporal();
  try {
    const d = await client.schedule.getHandle(scheduleId(ctx)).describe();
    return {
      scheduleId: d.scheduleId,
      cron: (d.memo?.cron as string | undefined) ?? null,
      days: (d.memo?.days as number | undefined) ?? null,
      timeZone: d.spec.timezone ?? 'UTC',
      nextRuns: d.info.nextActionTimes.slice(0, 3).map((t) => t.toISOString()),
      recentRuns: d.info.recentActions.map((a) => ({ at: a.takenAt.toISOString(), workflowId: a.action.workflow.workflowId })),
    };
  } catch (e) {
    if (e instanceof ScheduleNotFoundError) throw new AppError('NOT_FOUND', 'no report schedule in this workspace (PUT /reports/schedule makes one)');
    throw e;
  }
}

export async function unscheduleReport(ctx: ServiceContext) {
  requireRole(ctx, 'analyst');
  const client = await ctx.app.temporal();
  try {
    await client.schedule.getHandle(scheduleId(ctx)).delete();
  } catch (e) {
    if (e instanceof ScheduleNotFoundError) return { removed: false };
    throw e;
  }
  await auditAs(ctx, ctx.app.prisma, { action: 'report.unscheduled', entityType: 'report_schedule', entityId: scheduleId(ctx) });
  return { removed: true };
}

/** Delivers the report to the webhooks now (the scheduled workflow, started once); answers with its workflow id. */
export async function deliverReportNow(ctx: ServiceContext, raw: unknown = {}) {
  requireRole(ctx, 'analyst');
  const q = parseInput(runReportSchema, raw);
  const client = await ctx.app.temporal();
  const handle = await client.workflow.start<ReportWorkflowType>(REPORT_WORKFLOW, {
    workflowId: `${scheduleId(ctx)}-${Date.now()}`,
    taskQueue: ctx.app.config.temporal.taskQueue,
    args: [{ workspace: ctx.actor.workspace, days: q.days }],
  });
  return { workflowId: handle.workflowId };
}
