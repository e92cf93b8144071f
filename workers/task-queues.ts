// The two task queues MBO's workers poll. Budget changes (requests, approvals, applies) and everything else that
// is started on the configured queue (MBO_TASK_QUEUE) stay there; syncs — long, platform-bound, page after page —
// run on `<queue>-sync`, with their own worker slots, so a large sync can never hold the slots an approval needs.
// Pure and workflow-safe: the workflow bundle uses it to send a budget change started from a sync's rules
// evaluation back to the changes queue.

export const SYNC_QUEUE_SUFFIX = '-sync';

/** The sync queue that belongs to a changes queue. */
export function syncQueueFor(changesQueue: string): string {
  return changesQueue + SYNC_QUEUE_SUFFIX;
}

/** The changes queue that belongs to a queue (itself, or the one its sync queue was derived from). */
export function changesQueueFor(queue: string): string {
  return queue.endsWith(SYNC_QUEUE_SUFFIX) ? queue.slice(0, -SYNC_QUEUE_SUFFIX.length) : queue;
}
