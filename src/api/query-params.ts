import { AppError } from '../errors/index.ts';
import { SESSION_STATES, type SessionCursor, type SessionFilter, type SessionState } from '../verification/index.ts';

const MAX_PAGE = 100;

/** `limit` of a list: 1 to 100, default 25. */
export function pageLimit(value: string | undefined): number {
  const limit = value === undefined ? 25 : Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw new AppError('validation_failed', `limit is 1 to ${MAX_PAGE}`, { details: { field: 'querystring/limit' } });
  return limit;
}

/** A keyset cursor (creation time and id of the last row of the previous page), opaque to callers. */
export function encodeCursor(cursor: SessionCursor): string {
  return Buffer.from(`${cursor.createdAt}.${cursor.interviewId}`).toString('base64url');
}

export function decodeCursor(value: string): SessionCursor {
  const [at, id] = Buffer.from(value, 'base64url').toString('utf8').split('.', 2);
  if (!at || !id || !/^[0-9]{1,16}$/.test(at)) throw new AppError('validation_failed', 'cursor is not one this API returned', { details: { field: 'querystring/cursor' } });
  return { createdAt: Number(at), interviewId: id };
}

export function parseTime(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new AppError('validation_failed', `${field} is not a date-time`, { details: { field: `querystring/${field}` } });
  return ms;
}

export function parseStates(value: string | undefined): SessionState[] | undefined {
  if (value === undefined) return undefined;
  const states = value.split(',');
  const unknown = states.filter((s) => !(SESSION_STATES as readonly string[]).includes(s));
  if (unknown.length > 0) {
    throw new AppError('validation_failed', `unknown state(s): ${unknown.join(', ')}; states are ${SESSION_STATES.join(', ')}`, { details: { field: 'querystring/state' } });
  }
  return states as SessionState[];
}


/** The state and creation-time filters every session list takes (`state`, `createdFrom`, `createdTo`). */
export function stateAndTimeFilter(q: { state?: string; createdFrom?: string; createdTo?: string }): Pick<SessionFilter, 'states' | 'createdFrom' | 'createdTo'> {
  return {
    ...(q.state !== undefined ? { states: parseStates(q.state) } : {}),
    ...(q.createdFrom !== undefined ? { createdFrom: parseTime(q.createdFrom, 'createdFrom') } : {}),
    ...(q.createdTo !== undefined ? { createdTo: parseTime(q.createdTo, 'createdTo') } : {}),
  };
}

/**
 * One page of a keyset list read with `limit + 1` rows: the first `limit`, and the cursor of the
 * last of them when there is more (`position`: where a row stands in the order).
 */
export function pageOf<T>(rows: readonly T[], limit: number, position: (row: T) => SessionCursor): { page: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { page, nextCursor: rows.length > limit && last ? encodeCursor(position(last)) : null };
}
