// The use cases behind the web app's forms (rules, alerts, settings, the workspace switcher), server-only like
// services.server.ts. Actions call them as the session's actor; each checks the role itself.
export { addRule, deleteRule, getRule, listRules, setRuleEnabled, testRules, updateRule } from '../../../services/rules/rules.ts';
export { acknowledgeAlert, listAlerts, resolveAlert } from '../../../services/alerts/alerts.ts';
export { getGuardrails, setGuardrails } from '../../../services/guardrails/guardrails.ts';
export { listMembers, removeMember, setMember, setOwnPassword } from '../../../services/members/members.ts';
export { listMyWorkspaces } from '../../../services/members/list-my-workspaces.ts';
export { switchWorkspace } from '../../../services/auth/sessions.ts';
export { createApiKey, listApiKeys, revokeApiKey } from '../../../services/auth/api-keys.ts';
export { addWebhook, listWebhooks, removeWebhook } from '../../../services/webhooks/webhooks.ts';
export { testWebhook } from '../../../services/webhooks/test-webhook.ts';
export { listNotificationChannels, removeNotificationChannel, setNotificationChannel } from '../../../services/notifications/channels.ts';
export { listAccounts } from '../../../services/accounts/accounts.ts';
export { isAppError } from '../../../core/errors.ts';
