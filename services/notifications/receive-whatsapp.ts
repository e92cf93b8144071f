// The inbound WhatsApp webhook of a workspace. GET: Meta's verification challenge (hub.verify_token must be the
// workspace's). POST: the body must carry `X-Hub-Signature-256` = HMAC-SHA256 of the raw bytes with the app secret;
// then each Approve/Reject button reply is checked — for this workspace's number, at most 5 minutes old, never seen
// before (message id), from a number linked to a member, answering a notice MBO sent to that very member about
// that very request — and goes through the same decide use case as any other decision (same roles, four-eyes,
// expiry, first decision wins). Refusals are answered per message and audited; nothing else changes. Any signed
// message from a linked number also records when that member last wrote (WhatsApp's 24-hour window for notices).
import { AppError, isAppError } from '../../core/errors.js';
import { recordAudit } from '../../db/audit.js';
import { REPLAY_WINDOW_SECONDS } from '../../db/webhooks.js';
import { WhatsAppClient } from '../../connectors/whatsapp/client.js';
import { inboundSenders, readButtonReplies, type ButtonReply } from '../../connectors/whatsapp/inbound.js';
import { hubSignatureMatches } from '../../connectors/whatsapp/signature.js';
import { openWhatsApp, WHATSAPP_SECRET_KIND, type StoredWhatsApp } from '../../connectors/whatsapp/settings.js';
import { textMessage, type WebhookPayload } from '../../connectors/whatsapp/wire.js';
import { loadKeyring } from '../../lib/secrets.js';
import { actorOf } from '../auth/authenticate.js';
import { sha256 } from '../auth/tokens.js';
import { decideChange } from '../change-requests/decide-change.js';
import type { AppContext } from '../context.js';

async function settingsOf(app: AppContext, workspace: string): Promise<{ ws: { id: string; slug: string }; s: StoredWhatsApp } | undefined> {
  const ws = await app.prisma.workspace.findUnique({ where: { slug: workspace } });
  if (!ws) return undefined;
  const row = await app.prisma.workspaceSecret.findUnique({ where: { workspaceId_kind: { workspaceId: ws.id, kind: WHATSAPP_SECRET_KIND } } });
  return row ? { ws, s: openWhatsApp(loadKeyring(app.config), row.sealed) } : undefined;
}

/** Meta's GET verification: echo hub.challenge when hub.mode is subscribe and the verify token matches. */
export async function verifyWhatsAppWebhook(app: AppContext, q: { workspace: string; mode?: string; token?: string; challenge?: string }): Promise<string> {
  const found = await settingsOf(app, q.workspace);
  if (!found || q.mode !== 'subscribe' || !q.token || q.token !== found.s.verifyToken || !q.challenge)
    throw new AppError('FORBIDDEN', 'verification refused: unknown workspace, not a subscribe request, or a wrong verify token');
  return q.challenge.slice(0, 200);
}

export interface ReplyOutcome {
  messageId: string;
  from: string;
  requestId?: string;
  outcome: 'approved' | 'rejected' | 'refused' | 'ignored';
  reason?: string;
  status?: string;
}

export async function receiveWhatsAppWebhook(
  app: AppContext,
  req: { workspace: string; signature?: string; rawBody: string },
): Promise<{ results: ReplyOutcome[] }> {
  const found = await settingsOf(app, req.workspace);
  // One answer for "no such workspace" and "bad signature": the endpoint says nothing to someone without the secret.
  if (!found || !hubSignatureMatches(found.s.appSecret, req.rawBody, req.signature))
    throw new AppError('UNAUTHENTICATED', 'unknown workspace or bad X-Hub-Signature-256');
  const { ws, s } = found;
  let payload: WebhookPayload;
  try {
    payload = JSON.parse(req.rawBody) as WebhookPayload;
  } catch {
    throw new AppError('INVALID_INPUT', 'the body is not JSON');
  }
  await noteInbound(app, ws.id, inboundSenders(payload));
  const { replies, ignored } = readButtonReplies(payload);
  const results: ReplyOutcome[] = ignored.map((i) => ({ messageId: i.messageId, from: i.from, outcome: 'ignored', reason: i.why }));
  for (const r of replies) results.push(await decideFromReply(app, ws, s, r));
  return { results };
}

async function decideFromReply(app: AppContext, ws: { id: string; slug: string }, s: StoredWhatsApp, r: ButtonReply): Promise<ReplyOutcome> {
  const base = { messageId: r.messageId, from: r.from, requestId: r.requestId };
  let member: string | undefined;
  try {
    if (r.phoneNumberId && r.phoneNumberId !== s.phoneNumberId) throw new AppError('FORBIDDEN', 'the reply was sent to another WhatsApp number');
    if (!Number.isFinite(r.timestamp) || Math.abs(Date.now() / 1000 - r.timestamp) > REPLAY_WINDOW_SECONDS)
      throw new AppError('FORBIDDEN', `the reply is older than ${REPLAY_WINDOW_SECONDS / 60} minutes (or from the future): tap the button again`);
    // Each WhatsApp message acts once: a replayed delivery (same message id) is refused.
    const seen = await app.prisma.idempotencyRecord.createMany({
      data: [{ scope: `whatsapp:${ws.id}`, key: sha256(r.messageId), requestHash: sha256(`${r.from}:${r.requestId}:${r.decision}`), status: 200, body: {} }],
      skipDuplicates: true,
    });
    if (seen.count === 0) throw new AppError('CONFLICT', 'this WhatsApp message was already received (replay refused)');
    const who = await app.prisma.chatIdentity.findFirst({ where: { workspaceId: ws.id, channel: 'whatsapp', externalId: { in: [`+${r.from}`, r.from] } } });
    if (!who) throw new AppError('FORBIDDEN', `WhatsApp number ${mask(r.from)} is not linked to a member of "${ws.slug}"`);
    member = who.userId;
    const m = await app.prisma.member.findUnique({ where: { workspaceId_userId: { workspaceId: ws.id, userId: who.userId } } });
    if (!m) throw new AppError('FORBIDDEN', `${who.userId} is no longer a member of "${ws.slug}"`);
    const notice = await app.prisma.approvalNotice.findFirst({
      where: {
        workspaceId: ws.id,
        requestId: r.requestId,
        userId: m.userId,
        channel: 'whatsapp',
        status: 'sent',
        ...(r.contextId ? { externalId: r.contextId } : {}),
      },
    });
    if (!notice || !r.contextId) throw new AppError('FORBIDDEN', 'the reply does not answer a notice MBO sent to this member about this request');
    const ctx = { app, actor: actorOf(m.userId, ws, m.role, 'webhook', `whatsapp:${mask(r.from)}`) };
    const state = await decideChange(ctx, { requestId: r.requestId, approve: r.decision === 'approve', note: 'decided on WhatsApp' });
    await confirm(s, r, `${r.decision === 'approve' ? 'Approved' : 'Rejected'}: request ${r.requestId.slice(0, 8)}.`);
    return { ...base, outcome: r.decision === 'approve' ? 'approved' : 'rejected', status: state.status };
  } catch (e) {
    if (!isAppError(e)) throw e;
    await recordAudit(app.prisma, {
      workspaceId: ws.id,
      actor: member ?? `whatsapp:${mask(r.from)}`,
      action: 'chat.decision_refused',
      entityType: 'change_request',
      entityId: r.requestId,
      details: { channel: 'whatsapp', messageId: r.messageId, decision: r.decision, refused: e.message },
    }).catch(() => {});
    // A member is told why (four-eyes, already decided, expired); a stranger is told nothing.
    if (member) await confirm(s, r, `Not recorded: ${e.message}`);
    return { ...base, outcome: 'refused', reason: e.message };
  }
}

/**
 * A linked number that wrote (signed delivery, any kind of message) opens its 24-hour window: notices to that
 * member go out as reply buttons until it closes, as the approved template after (activities/notifications.ts).
 * The latest time wins; a time in the future counts as now.
 */
async function noteInbound(app: AppContext, workspaceId: string, senders: { from: string; timestamp: number }[]) {
  for (const { from, timestamp } of senders) {
    const at = new Date(Math.min(timestamp * 1000, Date.now()));
    await app.prisma.chatIdentity.updateMany({
      where: { workspaceId, channel: 'whatsapp', externalId: { in: [`+${from}`, from] }, OR: [{ lastInboundAt: null }, { lastInboundAt: { lt: at } }] },
      data: { lastInboundAt: at },
    });
  }
}

const mask = (n: string) => `…${n.slice(-4)}`;

async function confirm(s: StoredWhatsApp, r: ButtonReply, text: string) {
  await new WhatsAppClient(s).send(textMessage(r.from, text, r.messageId)).catch(() => undefined); // best effort: the decision stands whether or not the confirmation arrives
}
