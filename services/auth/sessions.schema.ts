// Schemas for web log-in (browser-safe).
import { z } from 'zod';

export const logInSchema = z.object({
  user: z.string().trim().min(1).max(200).describe('your user id or e-mail'),
  password: z.string().min(1).max(200),
  workspace: z.string().trim().min(1).max(100).optional().describe('default: your first workspace'),
});

/** Re-scopes a web session to another of the user's workspaces (the header's switcher). */
export const switchWorkspaceSchema = z.object({ workspace: z.string().trim().min(1).max(100).describe('the workspace slug') });
