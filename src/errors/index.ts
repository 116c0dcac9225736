export { AppError, ConfigError, isAppError } from './app-error.ts';
export type { ErrorCode } from './app-error.ts';
export { serializeError, toAppError } from './serialize-error.ts';
export type { ErrorBody } from './serialize-error.ts';
