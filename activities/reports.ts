// The report as an activity: build the workspace's performance report (services/reports/build-report.ts), render
// it (Markdown, HTML with charts, CSV) and POST it to every enabled workspace webhook that takes the `report`
// event, signed like alerts (X-MBO-Timestamp, X-MBO-Signature v1=HMAC-SHA256 over "<ts>.<body>"). The body is
// Slack-compatible (`text` is the Markdown) and carries the three renderings. Retryable on 5xx, 429 and network
// errors; other 4xx give up.
import { ApplicationFailure } from '@temporalio/common';
import type pg from 'pg';
import { AppError } from '../core/errors.js';
import type { PrismaClient } from '../db/prisma.js';
import { deliverSigned, webhooksFor } from '../db/webhooks.js';
import { activeKeyring } from '../lib/secrets.js';
import { buildReport } from '../services/reports/build-report.js';
import { renderCsv, renderHtml, renderMarkdown } from '../services/reports/render.js';
import type { ReportInput, ReportResult } from '../workflows/report.contract.js';
import { mapFailures } from './failures.js';

export const REPORT_EVENT = 'report';

export function createReportActivities({ pool, prisma }: { pool: pg.Pool; prisma: PrismaClient }) {
  return {
    async deliverReport(input: ReportInput): Promise<ReportResult> {
      return mapFailures(async () => {
        const ws = await prisma.workspace.findUnique({ where: { slug: input.workspace } });
        if (!ws) throw new AppError('NOT_FOUND', `no workspace "${input.workspace}"`);
        const keyring = activeKeyring();
        const targets = keyring ? await webhooksFor(prisma, keyring, ws.id, REPORT_EVENT) : [];
        const report = await buildReport(pool, ws, { days: input.days });
        const result = { period: { from: report.period.from, to: report.period.to }, delivered: 0, webhooks: targets.length };
        if (!targets.length) return result;
        const markdown = renderMarkdown(report);
        const body = JSON.stringify({
          event: REPORT_EVENT,
          workspace: ws.slug,
          period: report.period,
          text: markdown,
          markdown,
          html: await renderHtml(report),
          csv: renderCsv(report),
        });
        const sent = await deliverSigned(targets, body, `report-${ws.id}-${report.period.from}-${report.period.to}`);
        result.delivered += sent.delivered;
        if (sent.error) throw ApplicationFailure.create({ type: 'WebhookError', message: sent.error, nonRetryable: !sent.retryable });
        return result;
      });
    },
  };
}

export type ReportActivities = ReturnType<typeof createReportActivities>;
