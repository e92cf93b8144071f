// The fake Google Ads API's GAQL: parses the subset of the Google Ads Query Language MBO (and a curious test)
// sends — SELECT fields FROM resource [WHERE cond AND …] [ORDER BY f [ASC|DESC], …] [LIMIT n] with =, !=, <, <=,
// >, >=, IN, NOT IN and BETWEEN — and answers it the way Google does: unknown fields are refused
// (queryError=UNRECOGNIZED_FIELD), rows carry only the selected fields in camelCase, nested per resource.
// Grammar: https://developers.google.com/google-ads/api/docs/query/grammar
export type GaqlValue = string | number;
export type GaqlOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'IN' | 'NOT IN' | 'BETWEEN';

export interface GaqlCondition {
  field: string;
  op: GaqlOp;
  values: GaqlValue[];
}

export interface GaqlQuery {
  fields: string[];
  resource: string;
  where: GaqlCondition[];
  orderBy: { field: string; desc: boolean }[];
  limit?: number;
}

export class GaqlError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const QUERY = /^\s*SELECT\s+(.+?)\s+FROM\s+([a-z_]+)(?:\s+WHERE\s+(.+?))?(?:\s+ORDER\s+BY\s+(.+?))?(?:\s+LIMIT\s+(\d+))?\s*$/is;
const FIELD = /^[a-z_]+(?:\.[a-z_]+)+$/;

export function parseGaql(text: string): GaqlQuery {
  const m = QUERY.exec(text.replace(/\s+/g, ' '));
  if (!m) throw new GaqlError('UNEXPECTED_INPUT', `Error in query: unexpected input ${JSON.stringify(text.slice(0, 40))}.`);
  const [, select, resource, where, order, limit] = m;
  const fields = select!.split(',').map((f) => f.trim());
  for (const f of fields) if (!FIELD.test(f)) throw new GaqlError('BAD_FIELD_NAME', `Error in SELECT clause: invalid field name '${f}'.`);
  return {
    fields,
    resource: resource!,
    where: where ? splitConditions(where).map(parseCondition) : [],
    orderBy: order
      ? order.split(',').map((o) => {
          const [field, dir] = o.trim().split(/\s+/);
          return { field: field!, desc: (dir ?? '').toUpperCase() === 'DESC' };
        })
      : [],
    limit: limit === undefined ? undefined : Number(limit),
  };
}

/** Splits on AND, except the AND inside `BETWEEN a AND b`. */
function splitConditions(where: string): string[] {
  const parts = where.split(/\s+AND\s+/i);
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    if (/\sBETWEEN\s/i.test(parts[i]!) && i + 1 < parts.length) {
      out.push(`${parts[i]} AND ${parts[i + 1]}`);
      i++;
    } else out.push(parts[i]!);
  }
  return out;
}

const CONDITION = /^([a-z_.]+)\s+(NOT\s+IN|IN|BETWEEN|!=|<=|>=|=|<|>)\s+(.+)$/i;

function parseCondition(text: string): GaqlCondition {
  const m = CONDITION.exec(text.trim());
  if (!m) throw new GaqlError('BAD_OPERATOR', `Error in WHERE clause: cannot read condition '${text}'.`);
  const op = m[2]!.toUpperCase().replace(/\s+/, ' ') as GaqlOp;
  const rest = m[3]!.trim();
  if (op === 'IN' || op === 'NOT IN') {
    const list = /^\((.*)\)$/.exec(rest);
    if (!list) throw new GaqlError('EXPECTED_LIST', `Error in WHERE clause: expected a list after ${op}.`);
    const values = list[1]!.split(',').map((v) => literal(v.trim()));
    if (values.length === 0) throw new GaqlError('PROHIBITED_EMPTY_LIST_IN_CONDITION', 'Error in WHERE clause: empty list.');
    return { field: m[1]!, op, values };
  }
  if (op === 'BETWEEN') {
    const parts = rest.split(/\s+AND\s+/i);
    if (parts.length !== 2) throw new GaqlError('EXPECTED_VALUE_WITH_BETWEEN_OPERATOR', 'Error in WHERE clause: BETWEEN needs two values.');
    return { field: m[1]!, op, values: parts.map((p) => literal(p.trim())) };
  }
  return { field: m[1]!, op, values: [literal(rest)] };
}

function literal(v: string): GaqlValue {
  const quoted = /^'(.*)'$|^"(.*)"$/.exec(v);
  if (quoted) return quoted[1] ?? quoted[2]!;
  if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  if (/^[A-Z_]+$/.test(v)) return v; // an enum constant
  throw new GaqlError('BAD_VALUE', `Error in WHERE clause: invalid value ${v}.`);
}

/** Compares wire values: numbers (and numeric strings such as int64 ids) by value, anything else as text. */
export function compare(a: unknown, b: unknown): number {
  const na = typeof a === 'number' ? a : typeof a === 'string' && /^-?\d+(\.\d+)?$/.test(a) ? Number(a) : NaN;
  const nb = typeof b === 'number' ? b : typeof b === 'string' && /^-?\d+(\.\d+)?$/.test(b) ? Number(b) : NaN;
  if (!Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  const sa = String(a ?? '');
  const sb = String(b ?? '');
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

export function matches(value: unknown, c: GaqlCondition): boolean {
  const [v0, v1] = c.values;
  switch (c.op) {
    case '=':
      return compare(value, v0) === 0;
    case '!=':
      return compare(value, v0) !== 0;
    case '<':
      return compare(value, v0) < 0;
    case '<=':
      return compare(value, v0) <= 0;
    case '>':
      return compare(value, v0) > 0;
    case '>=':
      return compare(value, v0) >= 0;
    case 'IN':
      return c.values.some((v) => compare(value, v) === 0);
    case 'NOT IN':
      return !c.values.some((v) => compare(value, v) === 0);
    case 'BETWEEN':
      return compare(value, v0) >= 0 && compare(value, v1) <= 0;
  }
}

/** "campaign_budget.amount_micros" → ["campaignBudget", "amountMicros"]: the REST JSON path of a GAQL field. */
export function jsonPath(field: string): string[] {
  return field.split('.').map((s) => s.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase()));
}

/** Sets a value at a JSON path, creating the nested objects. */
export function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[path[path.length - 1]!] = value;
}
