// The one list of error types that no workflow retries (issue 10): permanent connector errors, application
// errors that another attempt cannot fix, and the integrity refusals of the budget-change path. Activities throw
// these types (activities/failures.ts), every workflow's retry policy lists them. Workflow-safe (no I/O).
import { NON_RETRYABLE_CONNECTOR_ERRORS } from '../connectors/errors.js';

/** Refusals that protect what was approved; retrying cannot make them pass. */
export const INTEGRITY_ERRORS = [
  /** The workflow was started for a request that is no longer EVALUATING (a request runs once). */
  'RequestNotEvaluating',
  /** A status change that the life cycle does not allow (core/change-status.ts). */
  'IllegalTransition',
  /** The items or the policy differ from what was evaluated and approved. */
  'FingerprintMismatch',
  /** An item that is not PENDING (applied, rolled back, stale, failed) is never applied again. */
  'ItemNotPending',
] as const;

/** AppError codes that fail at once (activities/failures.ts maps them to non-retryable failures of that type). */
export const NON_RETRYABLE_APP_ERRORS = ['INVALID_INPUT', 'VALIDATION', 'NOT_FOUND', 'CONFIG_INVALID', 'CONFLICT', 'UNAUTHENTICATED', 'FORBIDDEN'] as const;

export const NON_RETRYABLE_ERROR_TYPES: string[] = [...NON_RETRYABLE_CONNECTOR_ERRORS, ...NON_RETRYABLE_APP_ERRORS, ...INTEGRITY_ERRORS];
