import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  it('gives zero-setup defaults', () => {
    const c = loadConfig({});
    expect(c.database.url).toBeUndefined();
    expect(c.database.ownerUrl).toBeUndefined();
    expect(c.database.adminUrl).toBeUndefined();
    expect(c.temporal.address).toBe('127.0.0.1:7233');
    expect(c.temporal.namespace).toBe('mbo');
    expect(c.temporal.devServer).toBe(true);
    expect(c.temporal.uiUrl).toBe('http://localhost:8233');
  });
  it('uses a remote cluster without starting a dev server', () => {
    const c = loadConfig({ TEMPORAL_ADDRESS: 'acme.tmprl.cloud:7233', TEMPORAL_API_KEY: 'k', TEMPORAL_NAMESPACE: 'acme.mbo' });
    expect(c.temporal.devServer).toBe(false);
    expect(c.temporal.apiKey).toBe('k');
  });
  it('reads the database roles: application, owner (migrations) and the superuser that creates them', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgresql://mbo_app:a@db/mbo',
      MBO_DATABASE_OWNER_URL: 'postgresql://mbo_owner:o@db/mbo',
      MBO_DATABASE_ADMIN_URL: 'postgres://postgres:s@db/postgres',
    });
    expect(c.database).toMatchObject({
      url: 'postgresql://mbo_app:a@db/mbo',
      ownerUrl: 'postgresql://mbo_owner:o@db/mbo',
      adminUrl: 'postgres://postgres:s@db/postgres',
    });
  });
  it('says which variable is wrong', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: must be a postgres:\/\/ URL/);
    expect(() => loadConfig({ MBO_DATABASE_OWNER_URL: 'x' })).toThrow(/MBO_DATABASE_OWNER_URL: must be a postgres:\/\/ URL/);
    expect(() => loadConfig({ TEMPORAL_ADDRESS: 'nohost' })).toThrow(/TEMPORAL_ADDRESS: must be host:port/);
    expect(() => loadConfig({ MBO_PG_PORT: '99999' })).toThrow(/MBO_PG_PORT/);
    expect(() => loadConfig({ TEMPORAL_TLS_CERT_PATH: '/x' })).toThrow(/must be given together/);
  });
});

describe('environment (.env file)', () => {
  it('reads a .env file under the real environment, which wins', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { environment } = await import('./config.js');
    const dir = mkdtempSync(`${tmpdir()}/mbo-env-`);
    const file = `${dir}/.env`;
    writeFileSync(file, '# settings\nMBO_WORKSPACE=from-file\nMBO_PG_PORT=55555\nTEMPORAL_NAMESPACE="quoted ns"\n');
    const c = loadConfig(environment({ MBO_ENV_FILE: file, MBO_PG_PORT: '54000' }));
    expect(c.workspace).toBe('from-file');
    expect(c.database.embeddedPort).toBe(54000);
    expect(c.temporal.namespace).toBe('quoted ns');
  });
  it('says so when MBO_ENV_FILE names a file that is not there', async () => {
    const { environment } = await import('./config.js');
    expect(() => environment({ MBO_ENV_FILE: '/nonexistent/.env' })).toThrow(/MBO_ENV_FILE: file not found/);
  });
});

describe('.env.example', () => {
  it('documents every setting the loader reads', async () => {
    const { readFileSync } = await import('node:fs');
    const { SETTING_NAMES, PROJECT_ROOT } = await import('./config.js');
    const example = readFileSync(`${PROJECT_ROOT}/.env.example`, 'utf8');
    const missing = SETTING_NAMES.filter((name) => !new RegExp(`^# ${name}=`, 'm').test(example));
    expect(missing).toEqual([]);
  });
});
