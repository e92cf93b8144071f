// /api/v1 identity: log in and out (web sessions), who am I, members and roles, API keys, one's own password.
import { deleteCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { apiKeyView, createApiKeySchema } from '../../services/auth/api-keys.schema.js';
import { createApiKey, listApiKeys, revokeApiKey } from '../../services/auth/api-keys.js';
import { logInSchema } from '../../services/auth/sessions.schema.js';
import { logIn, logOut, SESSION_HOURS } from '../../services/auth/sessions.js';
import { roleSchema, userIdSchema } from '../../services/common.schema.js';
import type { AppContext } from '../../services/context.js';
import { listMyWorkspaces } from '../../services/members/list-my-workspaces.js';
import { memberView, myWorkspaceView, setMemberSchema, setPasswordSchema } from '../../services/members/members.schema.js';
import { listMembers, removeMember, setMember, setOwnPassword } from '../../services/members/members.js';
import { SESSION_COOKIE, serviceContext } from '../auth.js';
import type { ApiApp } from '../env.js';
import { body, json, route } from '../openapi.js';

const actorView = z.object({ userId: z.string(), workspace: z.string(), role: roleSchema, roles: z.array(roleSchema), source: z.string() });

export const login = route({
  method: 'post',
  path: '/auth/login',
  tags: ['Identity'],
  summary: 'Log in with a password; sets the session cookie and returns the CSRF token',
  public: true,
  request: body(logInSchema),
  responses: { 200: json(z.object({ csrfToken: z.string(), expiresAt: z.string(), actor: actorView }), 'Logged in') },
  errors: [400, 401],
});
export const logout = route({
  method: 'post',
  path: '/auth/logout',
  tags: ['Identity'],
  summary: 'End this web session',
  responses: { 204: { description: 'Logged out' } },
});
export const me = route({
  method: 'get',
  path: '/me',
  tags: ['Identity'],
  summary: 'Who the credential acts as',
  responses: { 200: json(actorView, 'The actor') },
});
export const myWorkspaces = route({
  method: 'get',
  path: '/me/workspaces',
  tags: ['Identity'],
  summary: 'The workspaces you belong to, with your role in each (an API key acts in one of them: `current`)',
  responses: { 200: json(z.array(myWorkspaceView), 'Your memberships') },
});
export const password = route({
  method: 'put',
  path: '/me/password',
  tags: ['Identity'],
  summary: 'Set your own web password (ends your sessions)',
  request: body(setPasswordSchema),
  responses: { 204: { description: 'Changed' } },
});
export const members = route({
  method: 'get',
  path: '/members',
  tags: ['Identity'],
  summary: 'Members and their roles',
  responses: { 200: json(z.array(memberView), 'Members') },
});
export const putMember = route({
  method: 'put',
  path: '/members/{userId}',
  tags: ['Identity'],
  summary: 'Add a member or change a role (admin)',
  request: { params: z.object({ userId: userIdSchema }), ...body(setMemberSchema.omit({ userId: true })) },
  responses: { 200: json(memberView, 'The member') },
  errors: [409],
});
export const deleteMember = route({
  method: 'delete',
  path: '/members/{userId}',
  tags: ['Identity'],
  summary: 'Remove a member (admin); their keys here are revoked',
  request: { params: z.object({ userId: userIdSchema }) },
  responses: { 204: { description: 'Removed' } },
  errors: [404, 409],
});
export const keys = route({
  method: 'get',
  path: '/api-keys',
  tags: ['Identity'],
  summary: 'API keys (admin; never their secrets)',
  responses: { 200: json(z.array(apiKeyView), 'Keys') },
});
export const createKey = route({
  method: 'post',
  path: '/api-keys',
  tags: ['Identity'],
  summary: 'Create an API key (admin); the key is in this answer only',
  request: body(createApiKeySchema),
  responses: { 201: json(apiKeyView.extend({ key: z.string() }), 'The key, shown once') },
  errors: [404],
});
export const revokeKey = route({
  method: 'delete',
  path: '/api-keys/{prefix}',
  tags: ['Identity'],
  summary: 'Revoke an API key (admin)',
  request: { params: z.object({ prefix: z.string().regex(/^mbo_[0-9a-f]{8}$/) }) },
  responses: { 200: json(apiKeyView, 'The revoked key') },
  errors: [404],
});

const view = (a: { userId: string; workspace: string; role: z.infer<typeof roleSchema>; roles: z.infer<typeof roleSchema>[]; source: string }) => ({
  userId: a.userId,
  workspace: a.workspace,
  role: a.role,
  roles: a.roles,
  source: a.source,
});

export function registerIdentity(api: ApiApp, app: AppContext) {
  api.openapi(login, async (c) => {
    const s = await logIn(app, c.req.valid('json'));
    setCookie(c, SESSION_COOKIE, s.sessionToken, {
      httpOnly: true,
      sameSite: 'Lax',
      secure: app.config.api.publicUrl.startsWith('https://'),
      path: '/',
      maxAge: SESSION_HOURS * 3600,
    });
    return c.json({ csrfToken: s.csrfToken, expiresAt: s.expiresAt.toISOString(), actor: view(s.actor) }, 200);
  });
  api.openapi(logout, async (c) => {
    const ctx = serviceContext(app, c);
    const sid = c.get('sessionId');
    if (sid) await logOut(ctx, sid);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.body(null, 204);
  });
  api.openapi(me, async (c) => c.json(view(serviceContext(app, c).actor), 200));
  api.openapi(myWorkspaces, async (c) => c.json(await listMyWorkspaces(serviceContext(app, c)), 200));
  api.openapi(password, async (c) => {
    await setOwnPassword(serviceContext(app, c), c.req.valid('json'));
    return c.body(null, 204);
  });
  api.openapi(members, async (c) => c.json(await listMembers(serviceContext(app, c)), 200));
  api.openapi(putMember, async (c) => c.json(await setMember(serviceContext(app, c), { ...c.req.valid('json'), userId: c.req.valid('param').userId }), 200));
  api.openapi(deleteMember, async (c) => {
    await removeMember(serviceContext(app, c), c.req.valid('param'));
    return c.body(null, 204);
  });
  api.openapi(keys, async (c) => c.json(await listApiKeys(serviceContext(app, c)), 200));
  api.openapi(createKey, async (c) => c.json(await createApiKey(serviceContext(app, c), c.req.valid('json')), 201));
  api.openapi(revokeKey, async (c) => c.json(await revokeApiKey(serviceContext(app, c), c.req.valid('param')), 200));
}
