// Applies Prisma migrations (prisma/migrations) with the offline JS schema engine. Idempotent.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { AppError } from '../core/errors.js';
import { PROJECT_ROOT } from '../lib/config.js';

const run = promisify(execFile);

export async function migrate(databaseUrl: string): Promise<void> {
  try {
    await run('bash', [path.join(PROJECT_ROOT, 'scripts', 'prisma.sh'), 'migrate', 'deploy'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (e) {
    const out = `${(e as { stdout?: string }).stdout ?? ''}${(e as { stderr?: string }).stderr ?? ''}`;
    throw new AppError(
      'INTERNAL',
      `database migration failed:\n${
        out
          .split('\n')
          .filter((l) => /error|Error|failed/.test(l))
          .slice(0, 10)
          .join('\n') || out.slice(-2000)
      }`,
    );
  }
}
