// The four MCP tool annotations as MBO's tools use them. Reads look at MBO's own store (synced platform data), so
// they are closed-world; writes only open a change request (additive, never applied without approval), so they
// are neither destructive nor idempotent (each call opens a new request) and touch no platform.
export const READ = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;
export const REQUEST_CHANGE = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false } as const;
