/**
 * The one error model. Every error that can reach a client is an AppError with a stable `code`;
 * `message` is safe to show (never PII); the underlying cause goes to logs only.
 */
export type ErrorCode =
  | 'invalid_request'
  | 'validation_failed'
  | 'unauthorized'
  | 'forbidden'
  | 'insufficient_scope'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'invalid_image'
  | 'session_expired'
  | 'session_closed'
  | 'invalid_state'
  | 'attempts_exhausted'
  | 'rate_limited'
  | 'too_many_uploads'
  | 'consent_required'
  | 'engine_busy'
  | 'config_invalid'
  | 'internal_error';

const STATUS: Record<ErrorCode, number> = {
  invalid_request: 400,
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  insufficient_scope: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  invalid_image: 422,
  session_expired: 410,
  session_closed: 409,
  invalid_state: 409,
  attempts_exhausted: 409,
  rate_limited: 429,
  // The cap is per session and does not reset: waiting does not help, so 409 and not 429.
  too_many_uploads: 409,
  consent_required: 409,
  engine_busy: 503,
  config_invalid: 500,
  internal_error: 500,
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Whether `message` may be sent to the client. */
  readonly expose: boolean;
  readonly details: Record<string, unknown> | undefined;
  /** Sent as `Retry-After` (429 rate_limited, 503 engine_busy). */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: Record<string, unknown>; retryAfterSeconds?: number } = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = STATUS[code];
    // engine_busy is a 503 whose message is written for the person waiting.
    this.expose = this.status < 500 || code === 'engine_busy';
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export class ConfigError extends AppError {
  constructor(message: string) {
    super('config_invalid', message);
    this.name = 'ConfigError';
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
