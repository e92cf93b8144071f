// The worker's connection (the SDK's native module): only worker processes load this file.
import { NativeConnection } from '@temporalio/worker';
import type { Config } from '../lib/config.js';
import { connectionOptions } from './connection.js';

export async function connectWorker(t: Config['temporal']): Promise<NativeConnection> {
  return NativeConnection.connect(connectionOptions(t));
}
