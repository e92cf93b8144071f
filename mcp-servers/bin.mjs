#!/usr/bin/env node
// `mbo-mcp <server>` entry point: runs one MCP server over stdio through tsx (no build step), e.g. for Claude
// Desktop's "command": "npx", "args": ["mbo-mcp", "google-ads"].
import { register } from 'tsx/esm/api';

register();
await import('./stdio.ts');
