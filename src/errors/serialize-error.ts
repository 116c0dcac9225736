import { AppError, isAppError } from './app-error.ts';

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  validation?: Array<{ instancePath?: string; params?: { missingProperty?: string; additionalProperty?: string } }>;
  validationContext?: string;
  message: string;
}

/** The offending field of a schema validation error, as a JSON pointer into the body, query or params. */
function fieldOf(error: FastifyLikeError): string | undefined {
  const first = error.validation?.[0];
  if (!first) return undefined;
  const name = first.params?.missingProperty ?? first.params?.additionalProperty;
  const path = `${first.instancePath ?? ''}${name ? `/${name}` : ''}`;
  return `${error.validationContext ?? 'body'}${path || ''}`;
}

/**
 * The one serializer: decides what of an error leaves the server. Fastify's own 4xx errors
 * (validation, body too large, bad content type) are mapped to stable codes; anything unexpected
 * becomes `internal_error` with a generic message.
 */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  const e = error as FastifyLikeError;
  if (e && typeof e === 'object') {
    if (Array.isArray(e.validation)) {
      const field = fieldOf(e);
      return new AppError('validation_failed', e.message, { cause: error, ...(field ? { details: { field } } : {}) });
    }
    switch (e.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
      case 'FST_REQ_FILE_TOO_LARGE':
      case 'FST_FILES_LIMIT':
        return new AppError('payload_too_large', 'The request body is too large', { cause: error });
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
        return new AppError('unsupported_media_type', 'Unsupported Content-Type', { cause: error });
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return new AppError('invalid_request', 'The request body is not valid JSON', { cause: error });
      default:
        break;
    }
    if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
      return new AppError(e.statusCode === 404 ? 'not_found' : 'invalid_request', e.message, { cause: error });
    }
  }
  return new AppError('internal_error', 'Internal server error', { cause: error });
}

export function serializeError(error: AppError): ErrorBody {
  const message = error.expose ? error.message : 'Internal server error';
  return { error: { code: error.code, message, ...(error.expose && error.details ? { details: error.details } : {}) } };
}
