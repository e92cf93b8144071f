// Every workflow the worker registers (its workflow bundle's entry point): the workflow functions only. Contracts
// (inputs, Updates, Queries, search attributes) live in the *.contract.ts modules beside each workflow.
export { SyncAllWorkflow, SyncAccountWorkflow } from './sync.js';
export { BudgetChangeWorkflow } from './budget-change.js';
export { ApprovalNoticeWorkflow } from './approval-notice.js';
export { OptimizationWorkflow } from './optimization.js';
export { WorkspaceOptimizationWorkflow } from './optimization-workspace.js';
export { RulesWorkflow } from './rules.js';
export { ReportWorkflow } from './report.js';
