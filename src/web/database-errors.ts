import type { FieldErrors } from '../common/errors.js';

/** How a refused statement is answered: the database's integrity rules are the last line of input checks. */
export interface DatabaseRefusal {
  status: 409 | 422;
  code: string;
  messageKey: string;
  fields?: FieldErrors;
  details?: Record<string, unknown>;
}

/** Raised by the triggers of migration CallArchive: a change to an archived call or a row under it. */
export const ARCHIVED_CALL_SQLSTATE = 'FT409';

// SQLSTATE codes of class 22 (data exception) and the check constraint (23514) that input can cause.
const INVALID_VALUE = new Set(['22P02', '22003', '22021', '22001', '22007', '22008', '22023', '23514']);

/** `Key (member_id)=(…) is not present…` names the column; the API speaks camelCase. */
function columnField(detail: unknown): string | undefined {
  const column = typeof detail === 'string' ? /^Key \(([\w, ]+)\)/.exec(detail)?.[1] : undefined;
  return column?.split(',')[0].trim().replace(/_(\w)/g, (_m, letter: string) => letter.toUpperCase());
}

/**
 * Maps a PostgreSQL error (raw from `pg`, or wrapped in TypeORM's QueryFailedError) that bad input can
 * provoke to a 4xx; anything else (connection loss, deadlock, a bug) stays unknown here.
 */
export function databaseRefusal(error: unknown): DatabaseRefusal | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const source = ((error as { driverError?: object }).driverError ?? error) as { code?: unknown; detail?: unknown };
  if (typeof source.code !== 'string' || !/^[0-9A-Z]{5}$/.test(source.code)) return undefined;
  if (source.code === ARCHIVED_CALL_SQLSTATE) return { status: 409, code: 'conflict', messageKey: 'calls.archived', details: { status: 'archived' } };
  const field = columnField(source.detail) ?? 'request';
  if (source.code === '23503') return { status: 422, code: 'validation_failed', messageKey: 'errors.validation', fields: { [field]: ['validation.unknownReference'] } };
  if (source.code === '23505') return { status: 409, code: 'conflict', messageKey: 'errors.duplicate', fields: { [field]: ['errors.duplicate'] } };
  if (INVALID_VALUE.has(source.code)) return { status: 422, code: 'validation_failed', messageKey: 'errors.validation', fields: { [field]: ['validation.invalidValue'] } };
  return undefined;
}
