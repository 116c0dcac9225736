export { AppError, ConfigError, isAppError } from './app-error.ts';
export type { ErrorCode } from './app-error.ts';
export { asEngineBusy, ENGINE_BUSY_RETRY_SECONDS, engineBusy } from './engine-busy.ts';
export { serializeError, toAppError } from './serialize-error.ts';
export type { ErrorBody } from './serialize-error.ts';
