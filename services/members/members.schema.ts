// Schemas for members and passwords (browser-safe).
import { z } from 'zod';
import { roleSchema, userIdSchema } from '../common.schema.js';

export const passwordSchema = z.string().min(12, 'at least 12 characters').max(200);

export const setMemberSchema = z.object({
  userId: userIdSchema,
  role: roleSchema,
  displayName: z.string().trim().min(1).max(100).optional(),
  email: z.email().optional(),
  password: passwordSchema.optional().describe('sets the web login password (admins may set it for a new member)'),
});

export const removeMemberSchema = z.object({ userId: userIdSchema });
export const setPasswordSchema = z.object({ currentPassword: z.string().max(200).optional(), newPassword: passwordSchema });

export const memberView = z.object({
  userId: z.string(),
  displayName: z.string(),
  email: z.string().nullable(),
  role: roleSchema,
  canLogIn: z.boolean(),
  since: z.string(),
});
export type MemberView = z.infer<typeof memberView>;

/** One of the acting user's workspaces (the web app's switcher). */
export const myWorkspaceView = z.object({ slug: z.string(), name: z.string(), role: roleSchema, current: z.boolean() });
export type MyWorkspaceView = z.infer<typeof myWorkspaceView>;
