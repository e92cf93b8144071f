// Rules and alerts activities: plan the rules' firings, act on one firing (its change request or alert), record a
// rule or firing that could not act (services/evaluate-rules.ts), turn today's anomalies into de-duplicated alerts,
// and deliver an alert to the webhook (Slack-compatible JSON, control characters stripped and Slack markup escaped)
// — retried by Temporal on 5xx, 429 and network errors, recorded and given up on other 4xx answers.
import { activeKeyring } from '../lib/secrets.js';
import { deliverSigned, webhooksFor } from '../db/webhooks.js';
import { ApplicationFailure } from '@temporalio/common';
import type pg from 'pg';
import { detectAnomalies } from '../core/analytics/anomalies.js';
import { safeText, slackText } from '../core/text.js';
import type { PrismaClient } from '../db/prisma.js';
import { actOnFiring, planRules, recordRuleFailure, type PlannedFiring, type RuleOutcome, type RulePlan } from '../db/rule-firings.js';
import { mapFailures } from './failures.js';

export interface RulesDeps {
  pool: pg.Pool;
  prisma: PrismaClient;
  webhookUrl?: string;
}

export function createRulesActivities({ pool, prisma, webhookUrl }: RulesDeps) {
  return {
    async planRules(input: { workspace: string; now: string }): Promise<RulePlan> {
      return mapFailures(() => planRules({ pool, prisma }, input));
    },

    async actOnFiring(input: { workspace: string; workflowId: string; asOf: string; firing: PlannedFiring }): Promise<RuleOutcome & { start: boolean }> {
      return mapFailures(() => actOnFiring({ pool, prisma }, input));
    },

    async recordRuleFailure(input: Parameters<typeof recordRuleFailure>[1]): Promise<string> {
      return mapFailures(() => recordRuleFailure({ pool, prisma }, input));
    },

    /** Anomalies on each active campaign's latest day (warning and critical) become alerts, once each. */
    async detectAnomalyAlerts(input: { workspace: string }): Promise<string[]> {
      return mapFailures(async () => {
        const ws = await prisma.workspace.findUniqueOrThrow({ where: { slug: input.workspace } });
        const { rows } = await pool.query<{ id: string; name: string; date: string; spend: string; conversions: string; clicks: string }>(
          `select c.id::text, c.name, m.date::text, m.spend::text, m.conversions::text, m.clicks::text
             from campaign c join platform_account a on a.id = c.account_id join metric_daily m on m.campaign_id = c.id
            where a.workspace_id = $1 and c.status = 'ACTIVE' and m.date >= (select max(date) from metric_daily) - 35`,
          [ws.id],
        );
        const byCampaign = new Map<string, typeof rows>();
        for (const r of rows) byCampaign.set(r.id, [...(byCampaign.get(r.id) ?? []), r]);
        const created: string[] = [];
        for (const [id, days] of byCampaign) {
          const found = detectAnomalies(
            days.map((d) => ({ date: d.date, spend: Number(d.spend), conversions: Number(d.conversions), clicks: Number(d.clicks) })),
            { label: safeText(days[0]!.name) },
          ).filter((a) => a.severity !== 'info');
          for (const a of found) {
            const dedupKey = `anomaly:${id}:${a.metric}:${a.date}`;
            const existing = await prisma.alert.findUnique({ where: { workspaceId_dedupKey: { workspaceId: ws.id, dedupKey } } });
            if (existing) continue;
            const alert = await prisma.alert.create({
              data: {
                workspaceId: ws.id,
                kind: 'anomaly',
                severity: a.severity,
                dedupKey,
                entityType: 'campaign',
                entityId: id,
                message: a.message,
                details: JSON.parse(JSON.stringify(a)),
              },
            });
            created.push(alert.id);
          }
        }
        return created;
      });
    },

    async deliverAlert(input: { alertId: string }): Promise<'delivered' | 'already-delivered' | 'no-webhook'> {
      const alert = await prisma.alert.findUniqueOrThrow({ where: { id: input.alertId } });
      if (alert.deliveredAt) return 'already-delivered';
      // The workspace's own webhooks for alerts (signed with each one's secret), plus the deployment-wide URL if set.
      const keyring = activeKeyring();
      const targets = [
        ...(keyring ? await webhooksFor(prisma, keyring, alert.workspaceId, 'alert') : []),
        ...(webhookUrl ? [{ id: 'global', url: webhookUrl, secret: undefined as string | undefined }] : []),
      ];
      if (!targets.length) return 'no-webhook';
      const icon = alert.severity === 'critical' ? ':rotating_light:' : alert.severity === 'warning' ? ':warning:' : ':information_source:';
      // Whatever a user, a rule author or a platform wrote reaches the chat without control codes or markup.
      const kind = slackText(alert.kind, {});
      const severity = slackText(alert.severity, {});
      const body = JSON.stringify({
        text: `${icon} MBO ${kind} (${severity}): ${slackText(alert.message, {})}`,
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `${icon} *MBO ${kind}* · _${severity}_\n${slackText(alert.message)}` } }],
      });
      // Every target gets the alert; a retry may repeat one that already answered, so each carries the alert id as
      // its Idempotency-Key for the receiver to drop a repeat.
      const { error, retryable } = await deliverSigned(targets, body, alert.id);
      if (!error) {
        await prisma.alert.update({ where: { id: alert.id }, data: { deliveredAt: new Date(), attempts: { increment: 1 }, lastError: null } });
        return 'delivered';
      }
      await prisma.alert.update({ where: { id: alert.id }, data: { attempts: { increment: 1 }, lastError: error } });
      throw ApplicationFailure.create({ type: 'WebhookError', message: error, nonRetryable: !retryable });
    },
  };
}

export type RulesActivities = ReturnType<typeof createRulesActivities>;
