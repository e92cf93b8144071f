// One application error with a stable code. Every door (CLI, API, MCP, activities) maps codes once;
// nothing else should be thrown across a module boundary for expected failures.
export type AppErrorCode =
  'CONFIG_INVALID' | 'VALIDATION' | 'NOT_FOUND' | 'CONFLICT' | 'STACK_NOT_RUNNING' | 'AUTH' | 'RATE_LIMITED' | 'TRANSIENT' | 'INTERNAL';

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: AppErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
