// Rules and alerts activities: evaluate rules (services/evaluate-rules.ts), turn today's anomalies into
// de-duplicated alerts, and deliver an alert to the webhook (Slack-compatible JSON) — retried by Temporal on
// 5xx, 429 and network errors, recorded and given up on other 4xx answers.
import { ApplicationFailure } from '@temporalio/common';
import type pg from 'pg';
import { detectAnomalies } from '../core/analytics/anomalies.js';
import type { PrismaClient } from '../db/prisma.js';
import { evaluateWorkspaceRules, type RuleOutcome } from '../services/evaluate-rules.js';
import { mapFailures } from './failures.js';

export interface RulesDeps {
  pool: pg.Pool;
  prisma: PrismaClient;
  webhookUrl?: string;
}

export function createRulesActivities({ pool, prisma, webhookUrl }: RulesDeps) {
  return {
    async evaluateRules(input: { workspace: string; workflowId: string; now: string }): Promise<RuleOutcome[]> {
      return mapFailures(() => evaluateWorkspaceRules({ pool, prisma }, { ...input, dryRun: false }));
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
            { label: days[0]!.name },
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
      if (!webhookUrl) return 'no-webhook';
      const icon = alert.severity === 'critical' ? ':rotating_light:' : alert.severity === 'warning' ? ':warning:' : ':information_source:';
      const body = {
        text: `${icon} MBO ${alert.kind} (${alert.severity}): ${alert.message}`,
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `${icon} *MBO ${alert.kind}* · _${alert.severity}_\n${alert.message}` } }],
      };
      let status = 0;
      let error = '';
      try {
        const res = await fetch(webhookUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': alert.id },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(10_000),
        });
        status = res.status;
        if (res.ok) {
          await prisma.alert.update({ where: { id: alert.id }, data: { deliveredAt: new Date(), attempts: { increment: 1 }, lastError: null } });
          return 'delivered';
        }
        error = `webhook answered ${res.status}`;
      } catch (e) {
        error = `webhook unreachable: ${(e as Error).message}`;
      }
      await prisma.alert.update({ where: { id: alert.id }, data: { attempts: { increment: 1 }, lastError: error } });
      throw ApplicationFailure.create({ type: 'WebhookError', message: error, nonRetryable: status >= 400 && status < 500 && status !== 429 });
    },
  };
}

export type RulesActivities = ReturnType<typeof createRulesActivities>;
