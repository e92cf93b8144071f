// An MBO MCP server over stdio (what Claude Desktop / Claude Code spawn): the key is MBO_API_KEY, else the CLI's
// key file (cli/credential.ts: --key-file is not offered here; MBO_HOME/keys/<MBO_USER or OS user>.key), checked once
// at start (a missing or bad key ends the process with a clear message on stderr, exit 5 as in the CLI) and again on
// every call. stdout carries only JSON-RPC: logs go to stderr (lib/logger.ts).
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { findApiKey } from '../../cli/credential.js';
import { loadConfig } from '../../lib/config.js';
import { authenticateApiKey } from '../../services/auth/authenticate.js';
import { createContext, type AppContext } from '../../services/context.js';
import { asAppError } from '../errors.js';
import { buildServer, type McpServerDef } from './server.js';
import { keySession } from './session.js';

const EXIT_UNAUTHENTICATED = 5;
const EXIT_STACK_NOT_RUNNING = 4;

export async function runStdio(def: McpServerDef): Promise<void> {
  let app: AppContext | undefined;
  try {
    const config = loadConfig();
    const key = findApiKey(config);
    app = await createContext(config);
    const actor = await authenticateApiKey(app, key.key, 'mcp');
    process.stderr.write(`${def.name}: acting as ${actor.userId} (${actor.role}) in "${actor.workspace}" (key from ${key.from})\n`);
    const session = keySession(def.name, app, key.key);
    const ctx = app;
    const handle = serveStdio(() => buildServer(def, session), { onerror: (e) => process.stderr.write(`${def.name}: ${e.message}\n`) });
    const stop = () => void handle.close().finally(() => ctx.close().finally(() => process.exit(0)));
    process.stdin.once('end', stop);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (e) {
    const err = asAppError(e, def.name);
    process.stderr.write(`${def.name}: ${err.code}: ${err.message}\n`);
    await app?.close();
    process.exit(err.code === 'UNAUTHENTICATED' ? EXIT_UNAUTHENTICATED : err.code === 'STACK_NOT_RUNNING' ? EXIT_STACK_NOT_RUNNING : 1);
  }
}
