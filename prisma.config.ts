// Prisma CLI config: the JS schema engine over the pg driver adapter, so migrations run fully offline.
// Migrations run as the database's owner role: MBO_DATABASE_OWNER_URL when set, else DATABASE_URL. db/migrate.ts
// sets both for the CLI it starts (it resolves them from the one config loader); this file is read by the Prisma
// CLI's own process, so it reads them itself. Run by hand (`npm run db:migrate`), give the owner's URL.
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';

/**
 * @prisma/adapter-pg runs a migration script by splitting it on ";", which breaks PL/pgSQL bodies ($$ … $$)
 * such as our TimescaleDB guard and audit trigger. Send each migration as one multi-statement query instead:
 * Postgres then also runs it in one implicit transaction, so a migration applies whole or not at all.
 */
class WholeScriptPg extends PrismaPg {
  override async connect() {
    const adapter = await super.connect();
    const pool = adapter.underlyingDriver();
    adapter.executeScript = async (script: string) => {
      try {
        await pool.query(script);
      } catch (error) {
        (adapter as unknown as { onError(e: unknown): never }).onError(error);
      }
    };
    return adapter;
  }
}

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  async adapter() {
    const url = process.env.MBO_DATABASE_OWNER_URL || process.env.DATABASE_URL;
    if (!url) throw new Error('neither MBO_DATABASE_OWNER_URL nor DATABASE_URL is set (mbo sets them when it runs migrations)');
    return new WholeScriptPg({ connectionString: url });
  },
});
