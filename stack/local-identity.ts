// The local stack's people: `mbo up` makes the person running it an admin of the workspace (with a password for
// the web, printed once) and two demo colleagues — maria.marketer (analyst) and alex.approver (approver) — so
// four-eyes approval can be tried at once. Each gets an API key, written once to MBO_HOME/keys/<user>.key (0600,
// folder 0700): the CLI acts as the key in its key file, never as a name typed on the command line.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { recordAudit } from '../db/audit.js';
import type { PrismaClient } from '../db/prisma.js';
import { hashPassword, newApiKey, sha256, splitApiKey } from '../services/auth/tokens.js';
import type { ActorSource, Role, ServiceContext } from '../services/actor.js';
import { actorOf } from '../services/auth/authenticate.js';
import type { AppContext } from '../services/context.js';

export const keysDir = (home: string) => path.join(home, 'keys');
export const keyFile = (home: string, userId: string) => path.join(keysDir(home), `${userId}.key`);

/** A new API key for a member, written by the system (set-up and tests; people use the API-key use cases). */
export async function issueApiKey(prisma: PrismaClient, o: { workspaceId: string; userId: string; name: string; expiresAt?: Date }): Promise<string> {
  const { key, prefix, secretHash } = newApiKey();
  const row = await prisma.apiKey.create({
    data: { workspaceId: o.workspaceId, userId: o.userId, name: o.name, prefix, secretHash, createdBy: 'mbo', expiresAt: o.expiresAt },
  });
  await recordAudit(prisma, {
    workspaceId: o.workspaceId,
    actor: 'mbo',
    action: 'api_key.created',
    entityType: 'api_key',
    entityId: row.id,
    after: { prefix, name: o.name, userId: o.userId },
    details: { source: 'system' },
  });
  return key;
}

async function keyStillWorks(prisma: PrismaClient, file: string, workspaceId: string): Promise<boolean> {
  const parts = splitApiKey(readFileSync(file, 'utf8').trim());
  if (!parts) return false;
  const row = await prisma.apiKey.findUnique({ where: { prefix: parts.prefix } });
  return (
    !!row && row.workspaceId === workspaceId && !row.revokedAt && (!row.expiresAt || row.expiresAt > new Date()) && row.secretHash === sha256(parts.secret)
  );
}

export interface LocalPerson {
  userId: string;
  role: Role;
  /** Created now (its password, when it has one, is in `password`: printed once). */
  created: boolean;
  password?: string;
  keyFile: string;
  keyCreated: boolean;
}

export async function ensureLocalIdentity(
  prisma: PrismaClient,
  o: { home: string; workspace: { id: string; slug: string }; people: [string, Role][]; passwordFor?: string },
): Promise<LocalPerson[]> {
  mkdirSync(keysDir(o.home), { recursive: true, mode: 0o700 });
  chmodSync(keysDir(o.home), 0o700);
  const out: LocalPerson[] = [];
  for (const [userId, role] of o.people) {
    const existing = await prisma.appUser.findUnique({ where: { id: userId } });
    let password: string | undefined;
    if (!existing?.passwordHash && userId === o.passwordFor) password = randomBytes(12).toString('base64url');
    await prisma.appUser.upsert({
      where: { id: userId },
      create: { id: userId, displayName: userId, passwordHash: password ? await hashPassword(password) : null },
      update: password ? { passwordHash: await hashPassword(password) } : {},
    });
    const member = await prisma.member.findUnique({ where: { workspaceId_userId: { workspaceId: o.workspace.id, userId } } });
    if (!member) {
      await prisma.member.create({ data: { workspaceId: o.workspace.id, userId, role } });
      await recordAudit(prisma, {
        workspaceId: o.workspace.id,
        actor: 'mbo',
        action: 'member.added',
        entityType: 'member',
        entityId: userId,
        after: { role },
        details: { source: 'system' },
      });
    }
    const file = keyFile(o.home, userId);
    let keyCreated = false;
    if (!existsSync(file) || !(await keyStillWorks(prisma, file, o.workspace.id))) {
      const key = await issueApiKey(prisma, { workspaceId: o.workspace.id, userId, name: `local CLI (${userId})` });
      writeFileSync(file, key + '\n', { mode: 0o600 });
      chmodSync(file, 0o600);
      keyCreated = true;
    }
    out.push({ userId, role: member?.role ?? role, created: !existing, password, keyFile: file, keyCreated });
  }
  return out;
}

/**
 * A member of `workspace` (created with `role` when missing) as the actor of use cases — what a door builds from a
 * credential. For set-up code that acts as a known person: tests and benchmarks.
 */
export async function memberActor(app: AppContext, workspace: string, userId: string, role: Role, source: ActorSource): Promise<ServiceContext> {
  const ws = await app.prisma.workspace.findUniqueOrThrow({ where: { slug: workspace } });
  await app.prisma.appUser.upsert({ where: { id: userId }, create: { id: userId, displayName: userId }, update: {} });
  const m = await app.prisma.member.upsert({
    where: { workspaceId_userId: { workspaceId: ws.id, userId } },
    create: { workspaceId: ws.id, userId, role },
    update: {},
  });
  return { app, actor: actorOf(userId, ws, m.role, source) };
}
