/**
 * The one error model. Every error that can reach a client is an AppError with a stable `code`;
 * `message` is safe to show (never PII); the underlying cause goes to logs only.
 */
export type ErrorCode =
  | 'invalid_request'
  | 'validation_failed'
  | 'unauthorized'
  | 'forbidden'
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
  | 'config_invalid'
  | 'internal_error';

const STATUS: Record<ErrorCode, number> = {
  invalid_request: 400,
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
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
  config_invalid: 500,
  internal_error: 500,
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Whether `message` may be sent to the client. */
  readonly expose: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = STATUS[code];
    this.expose = this.status < 500;
    this.details = options.details;
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
