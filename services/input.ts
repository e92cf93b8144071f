// Every use case parses its input with the schema beside it (the same one the API, CLI, MCP tool and web form
// use), so a door that forgot to validate still cannot pass bad input through.
import type { z } from 'zod';
import { AppError } from '../core/errors.js';

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const fields = r.error.issues.map((i) => ({ path: i.path.join('.') || '(input)', message: i.message }));
  throw new AppError('INVALID_INPUT', fields.map((f) => `${f.path}: ${f.message}`).join('; '), { fields });
}
