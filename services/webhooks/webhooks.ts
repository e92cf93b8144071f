// Use cases for webhooks. Outbound (admins): add an endpoint (its signing secret is shown once), list, remove.
// Chat identities (admins): which member a chat user or phone number is. Inbound: rotate the workspace's signing
// secret (admins), and receive a signed approval decision from a chat tool — verified (HMAC-SHA256 over
// timestamp.body, 5-minute window, each signature once), mapped to a member, and sent through the same decision
// use case as everyone else's (same roles, four-eyes, first decision wins).
import { randomBytes } from 'node:crypto';
import { AppError } from '../../core/errors.js';
import { withTransaction } from '../../db/transaction.js';
import { REPLAY_WINDOW_SECONDS, signatureMatches } from '../../db/webhooks.js';
import { loadKeyring, open, seal } from '../../lib/secrets.js';
import { requireRole, type ServiceContext } from '../actor.js';
import { auditAs } from '../audit-trail.js';
import { actorOf } from '../auth/authenticate.js';
import { sha256 } from '../auth/tokens.js';
import { decideChange } from '../change-requests/decide-change.js';
import type { AppContext } from '../context.js';
import { parseInput } from '../input.js';
import { addWebhookSchema, inboundDecisionSchema, setChatIdentitySchema, webhookIdSchema } from './webhooks.schema.js';

const newSecret = () => `whsec_${randomBytes(24).toString('base64url')}`;
const keyring = (app: AppContext) => loadKeyring(app.config);

export async function addWebhook(ctx: ServiceContext, raw: unknown) {
  requireRole(ctx, 'admin');
  const input = parseInput(addWebhookSchema, raw);
  const secret = newSecret();
  return withTransaction(ctx.app.prisma, async (tx) => {
    const w = await tx.workspaceWebhook.create({
      data: {
        workspaceId: ctx.actor.workspaceId,
        url: input.url,
        events: input.events,
        secretSealed: seal(keyring(ctx.app), secret),
        createdBy: ctx.actor.userId,
      },
    });
    await auditAs(ctx, tx, { action: 'webhook.added', entityType: 'webhook', entityId: w.id, after: { url: w.url, events: w.events } });
    return { id: w.id, url: w.url, events: w.events, secret };
  });
}

export async function listWebhooks(ctx: ServiceContext) {
  requireRole(ctx, 'admin');
  const rows = await ctx.app.prisma.workspaceWebhook.findMany({ where: { workspaceId: ctx.actor.workspaceId }, orderBy: { createdAt: 'asc' } });
  return rows.map((w) => ({ id: w.id, url: w.url, events: w.events, enabled: w.enabled, createdBy: w.createdBy, createdAt: w.createdAt.toISOString() }));
}

export async function removeWebhook(ctx: ServiceContext, raw: unknown) {
  requireRole(ctx, 'admin');
  const { webhookId } = parseInput(webhookIdSchema, raw);
  const w = await ctx.app.prisma.workspaceWebhook.findFirst({ where: { id: webhookId, workspaceId: ctx.actor.workspaceId } });
  if (!w) throw new AppError('NOT_FOUND', `no webhook ${webhookId} in "${ctx.actor.workspace}"`);
  await withTransaction(ctx.app.prisma, async (tx) => {
    await tx.workspaceWebhook.delete({ where: { id: w.id } });
    await auditAs(ctx, tx, { action: 'webhook.removed', entityType: 'webhook', entityId: w.id, before: { url: w.url, events: w.events } });
  });
}

export async function setChatIdentity(ctx: ServiceContext, raw: unknown) {
  requireRole(ctx, 'admin');
  const input = parseInput(setChatIdentitySchema, raw);
  const member = await ctx.app.prisma.member.findUnique({ where: { workspaceId_userId: { workspaceId: ctx.actor.workspaceId, userId: input.userId } } });
  if (!member) throw new AppError('NOT_FOUND', `${input.userId} is not a member of "${ctx.actor.workspace}"`);
  await withTransaction(ctx.app.prisma, async (tx) => {
    await tx.chatIdentity.upsert({
      where: { workspaceId_channel_externalId: { workspaceId: ctx.actor.workspaceId, channel: input.channel, externalId: input.externalId } },
      create: { workspaceId: ctx.actor.workspaceId, ...input },
      update: { userId: input.userId },
    });
    await auditAs(ctx, tx, { action: 'chat_identity.set', entityType: 'member', entityId: input.userId, after: { channel: input.channel } });
  });
  return { ...input };
}

/** A new inbound signing secret for the workspace, shown once (the previous one stops working). */
export async function rotateInboundSecret(ctx: ServiceContext) {
  requireRole(ctx, 'admin');
  const secret = newSecret();
  await withTransaction(ctx.app.prisma, async (tx) => {
    await tx.workspaceSecret.upsert({
      where: { workspaceId_kind: { workspaceId: ctx.actor.workspaceId, kind: 'inbound_webhook' } },
      create: { workspaceId: ctx.actor.workspaceId, kind: 'inbound_webhook', sealed: seal(keyring(ctx.app), secret) },
      update: { sealed: seal(keyring(ctx.app), secret), createdAt: new Date() },
    });
    await auditAs(ctx, tx, { action: 'webhook_secret.rotated', entityType: 'workspace', entityId: ctx.actor.workspaceId });
  });
  return { secret, header: 'X-MBO-Signature: v1=<hex HMAC-SHA256 of "<X-MBO-Timestamp>.<raw body>">' };
}

export async function receiveSignedDecision(app: AppContext, req: { workspace: string; timestamp?: string; signature?: string; rawBody: string }) {
  const refuse = (m: string): never => {
    throw new AppError('UNAUTHENTICATED', m);
  };
  const ws = await app.prisma.workspace.findUnique({ where: { slug: req.workspace } });
  if (!ws) refuse('unknown workspace or bad signature');
  const stored = await app.prisma.workspaceSecret.findUnique({ where: { workspaceId_kind: { workspaceId: ws!.id, kind: 'inbound_webhook' } } });
  if (!stored) refuse('this workspace accepts no signed webhooks (an admin sets its secret first)');
  if (!req.signature || !req.timestamp) refuse('X-MBO-Signature and X-MBO-Timestamp are required');
  const ts = Number(req.timestamp);
  if (!Number.isInteger(ts)) refuse('X-MBO-Timestamp must be unix seconds');
  if (Math.abs(Date.now() / 1000 - ts) > REPLAY_WINDOW_SECONDS)
    refuse(`the signature is older than ${REPLAY_WINDOW_SECONDS / 60} minutes (or from the future)`);
  if (!signatureMatches(open(loadKeyring(app.config), stored!.sealed), ts, req.rawBody, req.signature!)) refuse('unknown workspace or bad signature');
  // Each signed message acts once: a replay within the window is refused.
  const seen = await app.prisma.idempotencyRecord.createMany({
    data: [{ scope: `webhook:${ws!.id}`, key: sha256(req.signature!), requestHash: sha256(req.rawBody), status: 202, body: {} }],
    skipDuplicates: true,
  });
  if (seen.count === 0) throw new AppError('CONFLICT', 'this signed message was already received (replay refused)');
  let body: unknown;
  try {
    body = JSON.parse(req.rawBody);
  } catch {
    throw new AppError('INVALID_INPUT', 'the body is not JSON');
  }
  const input = parseInput(inboundDecisionSchema, body);
  const who = await app.prisma.chatIdentity.findUnique({
    where: { workspaceId_channel_externalId: { workspaceId: ws!.id, channel: input.channel, externalId: input.user } },
  });
  if (!who) throw new AppError('FORBIDDEN', `${input.channel} user ${input.user} is not linked to a member of "${ws!.slug}"`);
  const member = await app.prisma.member.findUnique({ where: { workspaceId_userId: { workspaceId: ws!.id, userId: who.userId } } });
  if (!member) throw new AppError('FORBIDDEN', `${who.userId} is no longer a member of "${ws!.slug}"`);
  const ctx = { app, actor: actorOf(member.userId, ws!, member.role, 'webhook', `${input.channel}:${input.user}`) };
  return decideChange(ctx, { requestId: input.requestId, approve: input.decision === 'approve', note: input.note });
}
