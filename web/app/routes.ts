// Every page of the web app. Pages under the layout need a session (the layout's loader sends others to /login).
import { index, layout, route, type RouteConfig } from '@react-router/dev/routes';

export default [
  route('login', 'routes/login.tsx'),
  route('logout', 'routes/logout.tsx'),
  layout('routes/layout.tsx', [
    index('routes/overview.tsx'),
    route('approvals', 'routes/approvals.tsx'),
    route('approvals/:id', 'routes/approvals.tsx', { id: 'approval' }),
    route('campaigns', 'routes/campaigns.tsx'),
    route('campaigns/:id', 'routes/campaign.tsx'),
    route('optimize', 'routes/optimize.tsx'),
    route('optimize/workspace', 'routes/optimize-workspace.tsx'),
    route('attribution', 'routes/attribution.tsx'),
    route('reports', 'routes/reports.tsx'),
    route('rules', 'routes/rules.tsx'),
    route('rules/new', 'routes/rule-edit.tsx', { id: 'rule-new' }),
    route('rules/:id', 'routes/rule-edit.tsx', { id: 'rule-edit' }),
    route('alerts', 'routes/alerts.tsx'),
    route('audit', 'routes/audit.tsx'),
    route('settings', 'routes/settings.tsx', [
      index('routes/settings-general.tsx'),
      route('members', 'routes/settings-members.tsx'),
      route('notifications', 'routes/settings-notifications.tsx'),
      route('keys', 'routes/settings-keys.tsx'),
      route('webhooks', 'routes/settings-webhooks.tsx'),
    ]),
    route('workspace', 'routes/switch-workspace.tsx'),
  ]),
] satisfies RouteConfig;
