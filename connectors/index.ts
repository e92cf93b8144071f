// Which client serves an account. Only the sandbox exists today; live platform clients plug in here.
import type pg from 'pg';
import { AppError } from '../core/errors.js';
import { SandboxConnector } from './sandbox/connector.js';
import type { Connector, PlatformKind } from './types.js';

export interface ConnectorTarget {
  platform: PlatformKind;
  connector: string;
  externalId: string;
}

export function connectorFor(account: ConnectorTarget, deps: { pool: pg.Pool }): Connector {
  switch (account.connector) {
    case 'sandbox':
      return new SandboxConnector(deps.pool, account.platform, account.externalId);
    default:
      throw new AppError('VALIDATION', `no connector "${account.connector}" for ${account.platform} (live connectors are not built yet)`);
  }
}
