// The agent loop: Claude (Messages API, streamed) reads MBO through tools until it answers or the turn limit is
// reached. Each turn is one streamed request; text deltas are passed on as they arrive; a tool_use turn runs the
// tools and answers each with a tool_result (as delimited data) in the next user message. The turn limit is hard:
// when the last allowed turn still asks for tools, they are NOT run and the loop stops. Usage is summed per turn
// (input, output, cache writes and reads) for the run's cost. Retries of 429/529/5xx are the SDK's (retry-after).
import type Anthropic from '@anthropic-ai/sdk';
import { addUsage, NO_USAGE, type Usage } from './pricing.js';
import type { ModelTool, ToolOutcome } from './tool-host.js';

export type AgentEvent =
  | { type: 'text'; text: string }
  | { type: 'tool'; name: string; input: Record<string, unknown> }
  | { type: 'tool_result'; name: string; isError: boolean }
  | { type: 'turn'; turn: number };

export interface AgentInput {
  client: Anthropic;
  model: string;
  system: string;
  prompt: string;
  tools: ModelTool[];
  callTool(name: string, input: Record<string, unknown>): Promise<ToolOutcome>;
  maxTurns: number;
  maxTokens: number;
  onEvent?(e: AgentEvent): void;
  signal?: AbortSignal;
}

export interface AgentResult {
  text: string;
  turns: number;
  /** end_turn, max_tokens, … or turn_limit when the loop was stopped. */
  stopReason: string;
  model: string;
  usage: Usage;
  toolCalls: ToolOutcome[];
}

export async function runAgent(a: AgentInput): Promise<AgentResult> {
  const messages: Anthropic.MessageParam[] = [{ role: 'user', content: a.prompt }];
  let usage = NO_USAGE;
  const toolCalls: ToolOutcome[] = [];
  const texts: string[] = [];
  let model = a.model;
  for (let turn = 1; ; turn++) {
    a.onEvent?.({ type: 'turn', turn });
    const stream = a.client.messages.stream(
      { model: a.model, max_tokens: a.maxTokens, system: a.system, tools: a.tools as Anthropic.Tool[], messages },
      { signal: a.signal },
    );
    stream.on('text', (text) => a.onEvent?.({ type: 'text', text }));
    const msg = await stream.finalMessage();
    model = msg.model || model;
    usage = addUsage(usage, {
      inputTokens: msg.usage.input_tokens,
      outputTokens: msg.usage.output_tokens,
      cacheCreationTokens: msg.usage.cache_creation_input_tokens ?? 0,
      cacheReadTokens: msg.usage.cache_read_input_tokens ?? 0,
    });
    const said = msg.content.filter((b): b is Anthropic.TextBlock => b.type === 'text').map((b) => b.text);
    if (said.length) texts.push(said.join(''));
    const uses = msg.content.filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
    if (msg.stop_reason !== 'tool_use' || !uses.length)
      return { text: texts.join('\n\n'), turns: turn, stopReason: msg.stop_reason ?? 'end_turn', model, usage, toolCalls };
    if (turn >= a.maxTurns) return { text: texts.join('\n\n'), turns: turn, stopReason: 'turn_limit', model, usage, toolCalls };
    messages.push({ role: 'assistant', content: msg.content });
    const results: Anthropic.ToolResultBlockParam[] = [];
    for (const u of uses) {
      const input = (u.input && typeof u.input === 'object' ? u.input : {}) as Record<string, unknown>;
      a.onEvent?.({ type: 'tool', name: u.name, input });
      const out = await a.callTool(u.name, input);
      toolCalls.push(out);
      a.onEvent?.({ type: 'tool_result', name: u.name, isError: out.isError });
      results.push({ type: 'tool_result', tool_use_id: u.id, content: out.text, is_error: out.isError || undefined });
    }
    messages.push({ role: 'user', content: results });
  }
}
