// The one mapping from AppError codes to MCP tool errors (as api/problem.ts is for HTTP and cli/output.ts for exit
// codes): a tool that fails answers `isError: true` with one clear sentence a model can act on — the code, what
// went wrong, and what to do — and `structuredContent`-free, so no half result is mistaken for data. Nothing else
// (no stack, no SQL, no secret) reaches the client; unexpected errors are logged here and said as INTERNAL.
import { AppError, isAppError, type AppErrorCode } from '../core/errors.js';
import { childLogger } from '../lib/logger.js';

/** What a model should do next, per code. */
const NEXT: Record<AppErrorCode, string> = {
  INVALID_INPUT: 'fix the arguments named and call the tool again',
  VALIDATION: 'the request was well-formed but refused; change the values, do not retry as is',
  UNAUTHENTICATED: "the MBO API key is missing, unknown, expired or revoked; ask the user for a valid key (MBO_API_KEY or 'Authorization: Bearer mbo_…')",
  FORBIDDEN: "the key's member lacks the role for this; ask someone with that role, do not retry",
  NOT_FOUND: 'check the id (list the items first); nothing in this workspace has it',
  CONFLICT: 'the current state does not allow this; read the item again before deciding',
  PAYLOAD_TOO_LARGE: 'send less at once',
  UNSUPPORTED_MEDIA_TYPE: 'send JSON',
  RATE_LIMITED: 'wait a minute and try again',
  STACK_NOT_RUNNING: 'MBO is not running (database or Temporal unreachable); ask the user to run `npm run up`',
  TRANSIENT: 'try again shortly',
  CONFIG_INVALID: "MBO's configuration is invalid; the operator must fix it",
  INTERNAL: 'an unexpected error; the MBO server log has details',
};

/** Connection failures mean "MBO is down", not a bug (as the API and CLI say it). */
function fromInfrastructure(e: unknown): AppError | undefined {
  const msg = (e as Error)?.message ?? '';
  const code = (e as { code?: string })?.code;
  if (
    code === 'ECONNREFUSED' ||
    code === '57P01' ||
    code === '57P03' ||
    /ECONNREFUSED|Can't reach database|Connection terminated|database server|database system is shutting down/.test(msg)
  )
    return new AppError('STACK_NOT_RUNNING', 'the database is not reachable');
  if (/TransportError|14 UNAVAILABLE|Failed to connect before the deadline/.test(msg)) return new AppError('STACK_NOT_RUNNING', 'Temporal is not reachable');
  return undefined;
}

/** Any thrown value as an AppError (unexpected ones logged and hidden behind INTERNAL). */
export function asAppError(e: unknown, where = 'mcp'): AppError {
  if (isAppError(e)) return e;
  const infra = fromInfrastructure(e);
  if (infra) return infra;
  childLogger({ component: where }).error({ err: e }, 'unexpected error in an MCP tool');
  return new AppError('INTERNAL', 'internal error');
}

/** The text of a tool error: "FORBIDDEN: ana is an analyst …. Next: …". */
export function toolErrorText(e: AppError): string {
  return `${e.code}: ${e.message}. Next: ${NEXT[e.code]}.`;
}

/** A CallToolResult for a failed call. */
export function toolError(e: unknown, where?: string) {
  const err = asAppError(e, where);
  return {
    isError: true as const,
    content: [{ type: 'text' as const, text: toolErrorText(err) }],
    _meta: { 'mbo/code': err.code },
  };
}
