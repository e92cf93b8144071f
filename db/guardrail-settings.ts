// Guardrail policies as stored: defaults ⊕ workspace ⊕ account. Read by the use cases (show, set, request) and by
// the activities (optimizer constraints), so it lives below both.
import { DEFAULT_POLICY, type GuardrailPolicy } from '../core/guardrails.js';
import type { PrismaClient } from './prisma.js';

export async function policyFor(db: Pick<PrismaClient, 'guardrailSetting'>, workspaceId: string, accountId: string | null): Promise<GuardrailPolicy> {
  const settings = await db.guardrailSetting.findMany({ where: { workspaceId, OR: [{ accountId: null }, ...(accountId ? [{ accountId }] : [])] } });
  const ws = settings.find((s) => s.accountId === null)?.policy as Partial<GuardrailPolicy> | undefined;
  const acc = accountId ? (settings.find((s) => s.accountId === accountId)?.policy as Partial<GuardrailPolicy> | undefined) : undefined;
  return { ...DEFAULT_POLICY, ...ws, ...acc };
}
