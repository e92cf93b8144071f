// One MCP tool = one file exporting a ToolDef (as modelcontextprotocol/servers' `everything` does: schema,
// annotations, register): a name, a description that says WHEN to use it, zod input and output schemas (built from
// the use cases' own *.schema.ts pieces), the four annotations, and `run`, a thin adapter that calls use cases in
// services/ as the caller's actor. `registerTools` puts ToolDefs on an McpServer: it resolves the actor for each
// call, strips the result to the output schema (structured output the client can validate) and maps every error
// once (../errors.ts). Reused by every server in mcp-servers/, including whatsapp-business (aichat).
import type { McpServer, ToolAnnotations } from '@modelcontextprotocol/server';
import type { z } from 'zod';
import { toolError } from '../errors.js';
import type { McpSession, ToolEnv } from './session.js';

export interface ToolDef<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  /** When to use it (and when not), what it returns, what it never does. */
  description: string;
  input: I;
  output: O;
  /** All four hints, always stated (clients default the missing ones pessimistically). */
  annotations: Required<Pick<ToolAnnotations, 'readOnlyHint' | 'destructiveHint' | 'idempotentHint' | 'openWorldHint'>>;
  run(env: ToolEnv, input: z.output<I>): Promise<z.input<O>>;
  /** A one-line human summary put before the JSON text (optional). */
  summary?(out: z.output<O>): string;
}

/** Identity helper that keeps the input/output types of a tool file. */
export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(def: ToolDef<I, O>): ToolDef<I, O> {
  return def;
}

/** Registers each tool on `server`; every call runs as the session's actor (resolved per call). */
export function registerTools(server: McpServer, session: McpSession, tools: ToolDef[]): void {
  for (const def of tools) {
    server.registerTool(
      def.name,
      {
        title: def.title,
        description: def.description,
        inputSchema: def.input,
        outputSchema: def.output,
        annotations: { title: def.title, ...def.annotations },
      },
      async (input: unknown) => {
        try {
          const env = await session.env();
          const out = def.output.parse(await def.run(env, input as z.output<typeof def.input>));
          const text = JSON.stringify(out, null, 2);
          return {
            content: def.summary
              ? [
                  { type: 'text' as const, text: def.summary(out) },
                  { type: 'text' as const, text },
                ]
              : [{ type: 'text' as const, text }],
            structuredContent: out as Record<string, unknown>,
          };
        } catch (e) {
          return toolError(e, session.serverName);
        }
      },
    );
  }
}
