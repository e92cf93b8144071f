// Who is acting: resolved from a credential (API key, web session, the CLI's key file, an MCP bearer, a signed
// webhook) by services/auth — never from a name the caller typed. Every use case takes a ServiceContext and checks
// the actor's role itself (documenso-style), scoping every read to the actor's workspace.
import { AppError } from '../core/errors.js';
import type { AppContext } from './context.js';

export const ROLES = ['viewer', 'analyst', 'approver', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export type ActorSource = 'api' | 'cli' | 'web' | 'mcp' | 'webhook' | 'ai' | 'system';

export interface Actor {
  /** The user's handle (what the audit trail shows). */
  userId: string;
  workspace: string;
  workspaceId: string;
  /** The member's role and every role it includes (an approver is also an analyst and a viewer). */
  role: Role;
  roles: Role[];
  source: ActorSource;
  /** The API key (its prefix) or session the actor came from, for the audit trail. */
  credential?: string;
}

export interface ServiceContext {
  app: AppContext;
  actor: Actor;
}

export function impliedRoles(role: Role): Role[] {
  return ROLES.slice(0, ROLES.indexOf(role) + 1);
}

const WHAT: Record<Role, string> = {
  viewer: 'read this workspace',
  analyst: 'request changes, run optimizations and manage rules',
  approver: 'approve or reject change requests',
  admin: 'change guardrails, members, accounts, API keys and webhooks',
};

/** Throws FORBIDDEN unless the actor holds `role` (or a role above it). */
export function requireRole(ctx: ServiceContext, role: Role): void {
  if (!ctx.actor.roles.includes(role))
    throw new AppError(
      'FORBIDDEN',
      `${ctx.actor.userId} is ${article(ctx.actor.role)} ${ctx.actor.role} in "${ctx.actor.workspace}"; only ${role}s may ${WHAT[role]}`,
      {
        required: role,
        role: ctx.actor.role,
      },
    );
}

const article = (w: string) => (/^[aeiou]/.test(w) ? 'an' : 'a');

/** The system's own actor (schedules, the stack's set-up): never reachable from a door. */
export function systemActor(workspace: { slug: string; id: string }): Actor {
  return { userId: 'mbo', workspace: workspace.slug, workspaceId: workspace.id, role: 'admin', roles: [...ROLES], source: 'system' };
}
