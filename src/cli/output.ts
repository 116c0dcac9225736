export type Output = 'json' | 'text';

function text(value: unknown, indent = ''): string {
  if (Array.isArray(value)) return value.map((v) => text(v, indent)).join(`\n${indent}---\n`);
  if (value && typeof value === 'object') {
    return Object.entries(value).map(([k, v]) => `${indent}${k}: ${v && typeof v === 'object' ? JSON.stringify(v) : v}`).join('\n');
  }
  return `${indent}${String(value)}`;
}

/** Prints a result: one JSON document with --json (for scripts), readable text otherwise. */
export function print(output: Output, value: unknown, note?: string): void {
  if (output === 'json') {
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    return;
  }
  process.stdout.write(`${text(value) || '(none)'}\n`);
  if (note) process.stderr.write(`\n${note}\n`);
}
