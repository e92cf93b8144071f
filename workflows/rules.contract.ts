// The RulesWorkflow's contract: input, result and workflow type name, for services and tests that start or read it
// without importing the workflow's body. Workflow-safe.
export const RULES_WORKFLOW = 'RulesWorkflow';

export interface RulesInput {
  workspace: string;
}

export interface RulesResult {
  /** Firings acted on (skipped ones — cooldown, not applicable, an identical open request — not counted). */
  fired: number;
  changeRequests: string[];
  alerts: string[];
  delivered: number;
  undelivered: number;
  /** Rules or firings that could not act: each recorded as a critical alert; the others ran. */
  failures: { rule: string; campaignId?: string; error: string }[];
}

export type RulesWorkflowType = (input: RulesInput) => Promise<RulesResult>;
