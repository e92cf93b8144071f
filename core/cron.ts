// Five-field cron expressions (minute hour day-of-month month day-of-week), checked before anything reaches
// Temporal's schedule parser, so a bad one is a specific validation error rather than whatever the server says.
// The accepted language is the common subset every cron reader agrees on: `*`, numbers and names, ranges `a-b`,
// steps `*/n` and `a-b/n`, lists `a,b`. Pure and browser-safe (the web form and the API share it).

interface Field {
  name: string;
  min: number;
  max: number;
  names?: readonly string[]; // names[i] stands for min + i
}

const FIELDS: readonly Field[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  // 7 is Sunday too, as in Vixie cron.
  { name: 'day of week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

function value(field: Field, text: string): number | string {
  if (/^\d{1,2}$/.test(text)) {
    const n = Number(text);
    return n < field.min || n > field.max ? `${field.name} ${n} is outside ${field.min}–${field.max}` : n;
  }
  const i = field.names?.indexOf(text.toUpperCase()) ?? -1;
  if (i >= 0) return field.min + i;
  return `"${text}" is not a ${field.name}${field.names ? ` (a number ${field.min}–${field.max} or a name like ${field.names[1]})` : ` (a number ${field.min}–${field.max})`}`;
}

function checkItem(field: Field, item: string): string | null {
  const [range, step, extra] = item.split('/');
  if (extra !== undefined || range === '') return `"${item}" in the ${field.name} field is not a value, range or step`;
  if (step !== undefined && !/^\d{1,2}$/.test(step)) return `the step in "${item}" (${field.name}) must be a number`;
  if (step !== undefined && Number(step) === 0) return `the step in "${item}" (${field.name}) must be at least 1`;
  if (range === '*') return null;
  const ends = range!.split('-');
  if (ends.length > 2) return `"${range}" in the ${field.name} field is not a range`;
  const values = ends.map((e) => value(field, e));
  const bad = values.find((v) => typeof v === 'string');
  if (bad !== undefined) return bad as string;
  if (values.length === 2 && (values[0] as number) > (values[1] as number)) return `the range "${range}" (${field.name}) runs backwards`;
  return null;
}

/** Null when `expr` is a valid five-field cron expression; otherwise what is wrong with it, in words. */
export function cronProblem(expr: string): string | null {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5)
    return `a cron expression has five fields (minute hour day-of-month month day-of-week), e.g. "0 8 * * 1"; this one has ${parts.length}`;
  for (const [i, part] of parts.entries()) {
    for (const item of part.split(',')) {
      const problem = checkItem(FIELDS[i]!, item);
      if (problem) return problem;
    }
  }
  return null;
}
