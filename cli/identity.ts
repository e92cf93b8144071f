// Who is running the CLI: --as, else MBO_USER, else the OS user. (The API will use sessions and API keys.)
import { userInfo } from 'node:os';

export function currentUser(as?: string): string {
  return as ?? process.env.MBO_USER ?? userInfo().username;
}
