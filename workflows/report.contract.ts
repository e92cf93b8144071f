// The ReportWorkflow's contract: input, result and type name, for the services that schedule it. Workflow-safe.
export const REPORT_WORKFLOW = 'ReportWorkflow';

export interface ReportInput {
  workspace: string;
  /** Days in the report's period (ending on the latest day with metrics). */
  days: number;
}

export interface ReportResult {
  period: { from: string; to: string };
  delivered: number;
  webhooks: number;
}

export type ReportWorkflowType = (input: ReportInput) => Promise<ReportResult>;
