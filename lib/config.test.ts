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
