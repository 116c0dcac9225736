/** A unique constraint refused the row (PostgreSQL 23505; SQLite SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY). */
export function isUniqueViolation(error: unknown, column?: string): boolean {
  const e = error as { code?: string; errcode?: number; message?: string; detail?: string; constraint?: string };
  const unique = e?.code === '23505' || e?.errcode === 2067 || e?.errcode === 1555 || /UNIQUE constraint failed/.test(e?.message ?? '');
  if (!unique || !column) return unique;
  return [e.message, e.detail, e.constraint].some((text) => text?.includes(column));
}
