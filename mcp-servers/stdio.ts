// stdio entry point: `node --import tsx mcp-servers/stdio.ts <server>` (npm run mcp:<server>, or the `mbo-mcp`
// bin): one server over stdin/stdout as the member of MBO_API_KEY (or the CLI's key file).
import { runStdio } from './kit/stdio.js';
import { MCP_SERVERS, serverNamed } from './registry.js';

const name = process.argv[2] ?? '';
const def = serverNamed(name);
if (!def) {
  process.stderr.write(`usage: mbo-mcp <server>\n  servers: ${MCP_SERVERS.map((s) => s.name.replace(/-mcp$/, '')).join(', ')}\n`);
  process.exit(2);
}
await runStdio(def);
