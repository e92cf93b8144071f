// The Temporal Schedule that syncs the workspace regularly (hourly by default). Created or updated in place.
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import { Kind, Workspace } from '../workflows/search-attributes.js';
import { SYNC_ALL_WORKFLOW } from '../workflows/sync.contract.js';
import type { AppContext } from '../services/context.js';
import { syncOptions } from '../services/sync/sync.js';

export async function ensureSyncSchedule(ctx: AppContext, workspace = ctx.config.workspace): Promise<string> {
  const client = await ctx.temporal();
  const scheduleId = `sync-${workspace}-every-${ctx.config.sync.scheduleEvery}`;
  const spec = { intervals: [{ every: ctx.config.sync.scheduleEvery as `${number}h` }] };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: SYNC_ALL_WORKFLOW,
    workflowId: `sync-${workspace}-scheduled`,
    taskQueue: ctx.config.temporal.syncTaskQueue,
    args: [syncOptions(ctx.config, { workspace })],
    typedSearchAttributes: [
      { key: Kind, value: 'sync' },
      { key: Workspace, value: workspace },
    ],
  };
  try {
    await client.schedule.create({ scheduleId, spec, action, policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1h' } });
  } catch (e) {
    if (!(e instanceof ScheduleAlreadyRunning)) throw e;
    await client.schedule.getHandle(scheduleId).update((prev) => ({ ...prev, spec, action }));
  }
  return scheduleId;
}
