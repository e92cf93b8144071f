// Use cases for where approvers hear about requests: each member sets their own notification channels (an admin
// sets anyone's); the workspace's WhatsApp Business connection (admin). A WhatsApp channel also links the number
// to the member as a chat identity, so a button reply from that number acts as that member — never a number that
// another member already holds. Addresses are sealed (a Slack webhook URL is a secret); only a hint is shown.
import { AppError } from '../../core/errors.js';
import { withTransaction } from '../../db/transaction.js';
import { openWhatsApp, sealWhatsApp, WHATSAPP_SECRET_KIND, whatsAppSummary } from '../../connectors/whatsapp/settings.js';
import { loadKeyring, open, seal } from '../../lib/secrets.js';
import { requireRole, type ServiceContext } from '../actor.js';
import { auditAs } from '../audit-trail.js';
import { parseInput } from '../input.js';
import {
  connectWhatsAppSchema,
  listNotificationChannelsSchema,
  notificationChannelRefSchema,
  phoneSchema,
  setNotificationChannelSchema,
} from './notifications.schema.js';

const keyring = (ctx: ServiceContext) => loadKeyring(ctx.app.config);

/** Your own channels: any member; someone else's: admins only. */
async function target(ctx: ServiceContext, userId: string | undefined): Promise<string> {
  const who = userId ?? ctx.actor.userId;
  requireRole(ctx, who === ctx.actor.userId ? 'viewer' : 'admin');
  const m = await ctx.app.prisma.member.findUnique({ where: { workspaceId_userId: { workspaceId: ctx.actor.workspaceId, userId: who } } });
  if (!m) throw new AppError('NOT_FOUND', `${who} is not a member of "${ctx.actor.workspace}"`);
  return who;
}

const hintOf = (kind: string, address: string) =>
  kind === 'whatsapp'
    ? `${address.slice(0, 3)}…${address.slice(-4)}`
    : (() => {
        const u = new URL(address);
        return `${u.protocol}//${u.host}/…`;
      })();

export async function setNotificationChannel(ctx: ServiceContext, raw: unknown) {
  const input = parseInput(setNotificationChannelSchema, raw);
  const userId = await target(ctx, input.userId);
  const address = input.kind === 'whatsapp' ? phoneSchema.parse(input.address) : input.address;
  const k = keyring(ctx);
  const ws = ctx.actor.workspaceId;
  return withTransaction(ctx.app.prisma, async (tx) => {
    const before = await tx.notificationChannel.findUnique({ where: { workspaceId_userId_kind: { workspaceId: ws, userId, kind: input.kind } } });
    if (input.kind === 'whatsapp') {
      const holder = await tx.chatIdentity.findUnique({
        where: { workspaceId_channel_externalId: { workspaceId: ws, channel: 'whatsapp', externalId: address } },
      });
      if (holder && holder.userId !== userId) throw new AppError('CONFLICT', `that WhatsApp number belongs to another member of "${ctx.actor.workspace}"`);
      const old = before ? open(k, before.addressSealed) : undefined;
      if (old && old !== address) await tx.chatIdentity.deleteMany({ where: { workspaceId: ws, channel: 'whatsapp', externalId: old, userId } });
      await tx.chatIdentity.upsert({
        where: { workspaceId_channel_externalId: { workspaceId: ws, channel: 'whatsapp', externalId: address } },
        create: { workspaceId: ws, channel: 'whatsapp', externalId: address, userId },
        update: {},
      });
    }
    const data = { addressSealed: seal(k, address), addressHint: hintOf(input.kind, address), enabled: input.enabled };
    const row = await tx.notificationChannel.upsert({
      where: { workspaceId_userId_kind: { workspaceId: ws, userId, kind: input.kind } },
      create: { workspaceId: ws, userId, kind: input.kind, createdBy: ctx.actor.userId, ...data },
      update: data,
    });
    await auditAs(ctx, tx, {
      action: 'notification_channel.set',
      entityType: 'member',
      entityId: userId,
      before: before ? { kind: before.kind, address: before.addressHint, enabled: before.enabled } : undefined,
      after: { kind: row.kind, address: row.addressHint, enabled: row.enabled },
    });
    return { userId, kind: row.kind as 'whatsapp' | 'slack', address: row.addressHint, enabled: row.enabled, updatedAt: row.updatedAt.toISOString() };
  });
}

export async function listNotificationChannels(ctx: ServiceContext, raw: unknown = {}) {
  const input = parseInput(listNotificationChannelsSchema, raw);
  // Admins see everyone's (or one member's); others only their own.
  const all = ctx.actor.roles.includes('admin');
  const userId = input.userId ?? (all ? undefined : ctx.actor.userId);
  if (userId) await target(ctx, userId);
  else requireRole(ctx, 'admin');
  const rows = await ctx.app.prisma.notificationChannel.findMany({
    where: { workspaceId: ctx.actor.workspaceId, ...(userId ? { userId } : {}) },
    orderBy: [{ userId: 'asc' }, { kind: 'asc' }],
  });
  return rows.map((r) => ({
    userId: r.userId,
    kind: r.kind as 'whatsapp' | 'slack',
    address: r.addressHint,
    enabled: r.enabled,
    updatedAt: r.updatedAt.toISOString(),
  }));
}

export async function removeNotificationChannel(ctx: ServiceContext, raw: unknown) {
  const input = parseInput(notificationChannelRefSchema, raw);
  const userId = await target(ctx, input.userId);
  const ws = ctx.actor.workspaceId;
  await withTransaction(ctx.app.prisma, async (tx) => {
    const row = await tx.notificationChannel.findUnique({ where: { workspaceId_userId_kind: { workspaceId: ws, userId, kind: input.kind } } });
    if (!row) throw new AppError('NOT_FOUND', `${userId} has no ${input.kind} channel`);
    if (row.kind === 'whatsapp')
      await tx.chatIdentity.deleteMany({ where: { workspaceId: ws, channel: 'whatsapp', externalId: open(keyring(ctx), row.addressSealed), userId } });
    await tx.notificationChannel.delete({ where: { id: row.id } });
    await auditAs(ctx, tx, {
      action: 'notification_channel.removed',
      entityType: 'member',
      entityId: userId,
      before: { kind: row.kind, address: row.addressHint },
    });
  });
}

/** Connects the workspace's WhatsApp Business number (admin); the token and secrets are sealed, never shown again. */
export async function connectWhatsApp(ctx: ServiceContext, raw: unknown) {
  requireRole(ctx, 'admin');
  const input = parseInput(connectWhatsAppSchema, raw);
  const sealed = sealWhatsApp(keyring(ctx), input);
  await withTransaction(ctx.app.prisma, async (tx) => {
    await tx.workspaceSecret.upsert({
      where: { workspaceId_kind: { workspaceId: ctx.actor.workspaceId, kind: WHATSAPP_SECRET_KIND } },
      create: { workspaceId: ctx.actor.workspaceId, kind: WHATSAPP_SECRET_KIND, sealed },
      update: { sealed, createdAt: new Date() },
    });
    await auditAs(ctx, tx, {
      action: 'whatsapp.connected',
      entityType: 'workspace',
      entityId: ctx.actor.workspaceId,
      after: { phoneNumberId: input.phoneNumberId },
    });
  });
  return {
    ...whatsAppSummary(input),
    webhookUrl: `${ctx.app.config.api.publicUrl}/api/v1/whatsapp/webhook/${encodeURIComponent(ctx.actor.workspace)}`,
    subscribe: 'in the Meta app: WhatsApp → Configuration → Webhook: this URL, your verify token, and subscribe to "messages"',
  };
}

/** The connection as stored (admin), without secrets. */
export async function getWhatsApp(ctx: ServiceContext) {
  requireRole(ctx, 'admin');
  const row = await ctx.app.prisma.workspaceSecret.findUnique({
    where: { workspaceId_kind: { workspaceId: ctx.actor.workspaceId, kind: WHATSAPP_SECRET_KIND } },
  });
  if (!row) throw new AppError('NOT_FOUND', `WhatsApp Business is not connected in "${ctx.actor.workspace}"`);
  return whatsAppSummary(openWhatsApp(keyring(ctx), row.sealed));
}
