// Approval notices as activities: where a change request stands (is it waiting for a decision, until when), and
// sending the notice — or the reminder — to every approver on the channels they chose: WhatsApp (reply buttons
// Approve/Reject through the Cloud API; the workspace's approved template with Approve/Reject quick replies when the
// approver has not written within WhatsApp's 24-hour window, or when Meta answers 131047) and Slack-compatible
// webhooks (text and action links). Each notice is
// recorded once per request, person, channel and kind; a retry sends only what has not gone out yet. Campaign and
// account names are platform text: shown to people as they are, never interpreted.
import type pg from 'pg';
import { AppError } from '../core/errors.js';
import type { GuardrailPolicy } from '../core/guardrails.js';
import { TransientError, ConnectorError } from '../connectors/errors.js';
import { httpRequest } from '../connectors/http.js';
import { ReEngagementRequired, WhatsAppClient } from '../connectors/whatsapp/client.js';
import { decisionButtonId } from '../connectors/whatsapp/inbound.js';
import { openWhatsApp, WHATSAPP_SECRET_KIND } from '../connectors/whatsapp/settings.js';
import { buttonsMessage, DEFAULT_APPROVAL_TEMPLATE, templateMessage } from '../connectors/whatsapp/wire.js';
import type { PrismaClient } from '../db/prisma.js';
import { loadConfig } from '../lib/config.js';
import { activeKeyring, open } from '../lib/secrets.js';
import { mapFailures } from './failures.js';

export type NoticeKind = 'request' | 'reminder';

/** WhatsApp's customer-service window: free-form messages reach a person within 24 hours of their last message. */
const WINDOW_MS = 24 * 3_600_000;

export interface NoticeTarget {
  status: string;
  expiresAt?: string;
  /** When the reminder is due (expiry minus the policy's reminderBeforeHours). */
  remindAt?: string;
}

export interface SendNoticesInput {
  requestId: string;
  kind: NoticeKind;
  /** Where people open the request, passed by a service that started the workflow; default: this worker's MBO_PUBLIC_URL. */
  publicUrl?: string;
}

export interface SendNoticesResult {
  sent: number;
  failed: { userId: string; channel: string; error: string }[];
  skipped: string[];
}

/** The public URL from this process's configuration (MBO_PUBLIC_URL, else MBO_API_URL, else localhost and the API port). */
function configuredPublicUrl(): string {
  try {
    return loadConfig().api.publicUrl;
  } catch {
    return (process.env.MBO_PUBLIC_URL ?? process.env.MBO_API_URL ?? `http://localhost:${process.env.MBO_API_PORT ?? 3000}`).replace(/\/$/, '');
  }
}

export function createNotificationActivities({ prisma, publicUrl }: { pool: pg.Pool; prisma: PrismaClient; publicUrl?: string }) {
  let defaultUrl = publicUrl;
  return {
    async approvalNoticeTarget(input: { requestId: string }): Promise<NoticeTarget> {
      return mapFailures(async () => {
        const r = await prisma.changeRequest.findUnique({ where: { id: input.requestId } });
        if (!r) throw new AppError('NOT_FOUND', `no change request ${input.requestId}`);
        const policy = r.policy as unknown as GuardrailPolicy;
        // The expiry the request's workflow set when it began to wait (recorded on its PENDING_APPROVAL transition).
        let expiresAt = r.expiresAt?.toISOString();
        if (!expiresAt && r.status === 'PENDING_APPROVAL') {
          const ev = await prisma.auditEvent.findFirst({
            where: { entityId: r.id, action: 'change_request.pending_approval' },
            orderBy: { occurredAt: 'desc' },
          });
          const at = (ev?.details as { expiresAt?: unknown } | null)?.expiresAt;
          if (typeof at === 'string') expiresAt = at;
        }
        const remindAt = expiresAt ? new Date(Date.parse(expiresAt) - (policy.reminderBeforeHours ?? 0) * 3_600_000).toISOString() : undefined;
        return { status: r.status, expiresAt, remindAt };
      });
    },

    async sendApprovalNotices(input: SendNoticesInput): Promise<SendNoticesResult> {
      return mapFailures(() => sendNotices(prisma, { ...input, publicUrl: input.publicUrl ?? (defaultUrl ??= configuredPublicUrl()) }));
    },
  };
}

export type NotificationActivities = ReturnType<typeof createNotificationActivities>;

async function sendNotices(prisma: PrismaClient, input: SendNoticesInput & { publicUrl: string }): Promise<SendNoticesResult> {
  const out: SendNoticesResult = { sent: 0, failed: [], skipped: [] };
  const r = await prisma.changeRequest.findUnique({ where: { id: input.requestId }, include: { items: { orderBy: { seq: 'asc' } } } });
  if (!r) throw new AppError('NOT_FOUND', `no change request ${input.requestId}`);
  if (r.status !== 'PENDING_APPROVAL') return { ...out, skipped: [`the request is ${r.status}, not waiting for a decision`] };
  const keyring = activeKeyring();
  if (!keyring) throw new AppError('CONFIG_INVALID', 'this worker has no secret key (MBO_SECRET_KEY) to open notification channels');
  const policy = r.policy as unknown as GuardrailPolicy;
  const members = await prisma.member.findMany({ where: { workspaceId: r.workspaceId, role: { in: ['approver', 'admin'] } } });
  const approvers = members.map((m) => m.userId).filter((u) => !(policy.fourEyes !== false && u === r.requestedBy));
  const channels = await prisma.notificationChannel.findMany({ where: { workspaceId: r.workspaceId, userId: { in: approvers }, enabled: true } });
  if (!channels.length) return { ...out, skipped: ['no approver has a notification channel'] };
  const done = await prisma.approvalNotice.findMany({ where: { requestId: r.id, kind: input.kind, status: 'sent' } });
  const account = await prisma.platformAccount.findUniqueOrThrow({ where: { id: r.accountId } });
  const campaigns = await prisma.campaign.findMany({ where: { id: { in: r.items.map((i) => i.campaignId) } } });
  const name = (id: string) => campaigns.find((c) => c.id === id)?.name ?? id;
  const lines = r.items.map((i) => {
    const what = i.kind === 'budget' ? `${i.fromBudget.toString()} → ${i.toBudget?.toString()} ${account.currency}/day` : i.kind;
    return `• ${quote(name(i.campaignId))}: ${what}`;
  });
  const expires = r.expiresAt ? r.expiresAt.toISOString().slice(0, 16).replace('T', ' ') + ' UTC' : 'no expiry';
  const title = input.kind === 'reminder' ? 'Reminder: a budget change still waits for your decision' : 'A budget change waits for your decision';
  const text = [
    `${title}.`,
    `${r.requestedBy} asks (${r.source}) for ${account.platform} account ${quote(account.name)}:`,
    ...lines.slice(0, 10),
    ...(lines.length > 10 ? [`… and ${lines.length - 10} more`] : []),
    `Reason: ${r.reason}`,
    `Expires: ${expires}`,
  ].join('\n');
  const link = `${input.publicUrl}/approvals/${r.id}`;

  let whatsapp: WhatsAppClient | undefined;
  let whatsappTemplate: { name: string; language: string } | undefined;
  let whatsappProblem: string | undefined;
  if (channels.some((c) => c.kind === 'whatsapp')) {
    const s = await prisma.workspaceSecret.findUnique({ where: { workspaceId_kind: { workspaceId: r.workspaceId, kind: WHATSAPP_SECRET_KIND } } });
    if (s) {
      const settings = openWhatsApp(keyring, s.sealed);
      whatsapp = new WhatsAppClient(settings);
      whatsappTemplate = settings.template ?? DEFAULT_APPROVAL_TEMPLATE;
    } else whatsappProblem = 'WhatsApp Business is not connected in this workspace (an admin connects it)';
  }

  let retryable: string | undefined;
  for (const c of channels) {
    if (done.some((d) => d.userId === c.userId && d.channel === c.kind)) continue;
    const key = { requestId_userId_channel_kind: { requestId: r.id, userId: c.userId, channel: c.kind, kind: input.kind } };
    const record = (data: { status: 'sent' | 'failed'; externalId?: string; error?: string }) =>
      prisma.approvalNotice.upsert({
        where: key,
        create: { workspaceId: r.workspaceId, requestId: r.id, userId: c.userId, channel: c.kind, kind: input.kind, ...data },
        update: { ...data, createdAt: new Date() },
      });
    try {
      const address = open(keyring, c.addressSealed);
      if (c.kind === 'whatsapp') {
        if (!whatsapp) throw new AppError('CONFIG_INVALID', whatsappProblem!);
        const buttons = () =>
          buttonsMessage(
            address,
            text,
            [
              { id: decisionButtonId('approve', r.id), title: 'Approve' },
              { id: decisionButtonId('reject', r.id), title: 'Reject' },
            ],
            { header: input.kind === 'reminder' ? 'MBO reminder' : 'MBO approval', footer: `Request ${r.id.slice(0, 8)}` },
          );
        // Outside the 24-hour customer-service window WhatsApp delivers only a pre-approved template: sent at once
        // when this person has not written within 24 hours, and in place of the buttons when Meta answers 131047.
        const template = () =>
          templateMessage(
            address,
            whatsappTemplate!,
            [title, `${r.requestedBy} asks (${r.source}) for ${account.platform} account ${quote(account.name)}`, lines.join('; ') || '-', r.reason, expires],
            [decisionButtonId('approve', r.id), decisionButtonId('reject', r.id)],
          );
        const identity = await prisma.chatIdentity.findFirst({
          where: { workspaceId: r.workspaceId, channel: 'whatsapp', userId: c.userId, externalId: address },
        });
        const inWindow = identity?.lastInboundAt != null && Date.now() - identity.lastInboundAt.getTime() < WINDOW_MS;
        let sent;
        if (!inWindow) sent = await whatsapp.send(template());
        else
          sent = await whatsapp.send(buttons()).catch((e: unknown) => {
            if (e instanceof ReEngagementRequired) return whatsapp!.send(template());
            throw e;
          });
        await record({ status: 'sent', externalId: sent.messageId });
      } else {
        await postSlack(address, text, link, r.id);
        await record({ status: 'sent' });
      }
      out.sent++;
    } catch (e) {
      const error = (e as Error).message.split('\n')[0]!.slice(0, 500);
      await record({ status: 'failed', error });
      out.failed.push({ userId: c.userId, channel: c.kind, error });
      if (e instanceof ConnectorError && e.retryable) retryable = error;
    }
  }
  // Something could still go out later (a rate limit, Meta's own trouble): the activity's retry sends just that.
  if (retryable) throw new TransientError(`some approval notices could not be sent yet: ${retryable}`, 'notifications');
  return out;
}

/** Platform text, delimited so it reads as a name. */
const quote = (s: string) => `“${s.replace(/[\r\n]+/g, ' ').slice(0, 120)}”`;

/** A Slack-compatible incoming webhook: text plus link buttons to decide in MBO (Block Kit; plain `text` as fallback). */
async function postSlack(url: string, text: string, link: string, requestId: string): Promise<void> {
  const body = {
    text: `${text}\nApprove: ${link}?decision=approve\nReject: ${link}?decision=reject`,
    blocks: [
      { type: 'section', text: { type: 'plain_text', text: text.slice(0, 2900) } },
      {
        type: 'actions',
        block_id: `mbo-${requestId}`,
        elements: [
          {
            type: 'button',
            style: 'primary',
            text: { type: 'plain_text', text: 'Approve' },
            url: `${link}?decision=approve`,
            action_id: 'mbo_approve',
            value: requestId,
          },
          {
            type: 'button',
            style: 'danger',
            text: { type: 'plain_text', text: 'Reject' },
            url: `${link}?decision=reject`,
            action_id: 'mbo_reject',
            value: requestId,
          },
        ],
      },
    ],
  };
  const res = await httpRequest(
    url,
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    { platform: 'slack', what: 'post notice', timeoutMs: 10_000 },
  );
  if (res.status >= 500 || res.status === 429) throw new TransientError(`slack webhook answered HTTP ${res.status}`, 'slack');
  if (res.status >= 300) throw new AppError('VALIDATION', `slack webhook answered HTTP ${res.status}: ${res.text.slice(0, 200)}`);
}
