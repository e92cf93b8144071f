// Typed connector errors. Auth, validation and not-found are permanent (retrying cannot help); rate limits
// carry the platform's retry-after; transient errors are retried with backoff. Activities turn these into
// Temporal failures in one place (activities/failures.ts).
export abstract class ConnectorError extends Error {
  abstract readonly retryable: boolean;
  constructor(
    message: string,
    readonly platform?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class AuthError extends ConnectorError {
  readonly retryable = false;
}

export class ValidationError extends ConnectorError {
  readonly retryable = false;
}

export class NotFoundError extends ConnectorError {
  readonly retryable = false;
}

export class RateLimitError extends ConnectorError {
  readonly retryable = true;
  constructor(
    message: string,
    readonly retryAfterMs: number,
    platform?: string,
  ) {
    super(message, platform);
  }
}

export class TransientError extends ConnectorError {
  readonly retryable = true;
}

export const NON_RETRYABLE_CONNECTOR_ERRORS = ['AuthError', 'ValidationError', 'NotFoundError'] as const;
