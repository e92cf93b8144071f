// The signed-in actor and this session's CSRF token (from the layout's loader), for any page under the layout.
import { useRouteLoaderData } from 'react-router';

export interface SessionData {
  actor: { userId: string; workspace: string; role: string; roles: string[] };
  csrf: string;
  pending: number;
}

export function useSession(): SessionData {
  return useRouteLoaderData('routes/layout') as SessionData;
}
