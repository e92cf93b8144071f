// `mbo accounts`: the workspace's ad accounts. `add <platform>` walks an admin through the platform's OAuth consent:
// a one-shot listener on http://127.0.0.1:<port>/callback, the consent URL to open (state checked on the way back,
// PKCE where the platform takes it), the code exchanged by the API, the account chosen among those the token reaches
// and connected (checked with the platform, sealed). `connect` takes credentials from a file instead (a system-user
// token, say). `test` checks an account's access now. A thin door: every step is an API call to a use case
// (services/accounts/oauth.ts, connect-account.ts); secrets come from files or the environment, never argv.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { AppError } from '../../core/errors.js';
import { loadConfig } from '../../lib/config.js';
import type { ApiClient } from '../api-client.js';
import { printJson, printTable, say, when } from '../output.js';
import { validate, withApi } from '../run.js';
import { connectAccountSchema } from '../../services/accounts/accounts.schema.js';
import { startOAuthSchema } from '../../services/accounts/oauth.schema.js';

interface ConnectedAccount {
  id: string;
  platform: string;
  externalId: string;
  name: string;
  currency: string;
  timeZone: string;
}
interface Consent {
  platform: string;
  state: string;
  authorizeUrl: string;
  pkce: boolean;
  expiresAt: string;
}
interface Exchanged {
  platform: string;
  state: string;
  accounts: { externalId: string; name: string | null }[];
}

export interface ConsentOptions {
  /** What POST /accounts/oauth/start takes, without the redirect URI (made here). */
  start: Record<string, unknown> & { platform: string };
  /** Local port for the callback (0: any free port — Google accepts any loopback port; other platforms need the registered one). */
  port?: number;
  /** The account to connect when the token reaches several (platform id). */
  account?: string;
  /** Shows the consent URL to the user (default: printed); tests play the browser here. */
  show?: (url: string) => void | Promise<void>;
  /** Picks among several accounts (default: asks on a terminal, else refuses with the list). */
  choose?: (accounts: Exchanged['accounts']) => Promise<string>;
  timeoutMs?: number;
}

/** Waits for the platform's redirect to /callback with this state; answers the browser with a short page. */
function callbackListener(port: number) {
  let resolve!: (v: URLSearchParams) => void;
  const got = new Promise<URLSearchParams>((r) => (resolve = r));
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/callback') {
      res.writeHead(404).end();
      return;
    }
    const failed = url.searchParams.get('error');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><title>MBO</title><p>${failed ? 'Consent refused. You can close this tab.' : 'Done: back to the terminal. You can close this tab.'}</p>`,
    );
    resolve(url.searchParams);
  });
  const listening = new Promise<number>((ok, ko) => {
    server.once('error', (e) =>
      ko(new AppError('CONFLICT', `cannot listen on 127.0.0.1:${port} for the callback (${(e as NodeJS.ErrnoException).code}): choose another --port`)),
    );
    server.listen(port, '127.0.0.1', () => ok((server.address() as AddressInfo).port));
  });
  return { listening, got, close: () => (server.closeAllConnections(), server.close()) };
}

async function askOnTerminal(accounts: Exchanged['accounts']): Promise<string> {
  if (!process.stdin.isTTY)
    throw new AppError('VALIDATION', `the token reaches several accounts: choose one with --account (${accounts.map((a) => a.externalId).join(', ')})`);
  accounts.forEach((a, i) => say(`  ${i + 1}. ${a.externalId}${a.name ? `  ${a.name}` : ''}`));
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const n = Number(await rl.question('Which account? '));
    const a = accounts[n - 1];
    if (!a) throw new AppError('INVALID_INPUT', 'no such choice');
    return a.externalId;
  } finally {
    rl.close();
  }
}

/** The whole consent: listener, start, browser, state check, exchange, choice, connect. */
export async function runConsent(api: ApiClient, o: ConsentOptions): Promise<ConnectedAccount> {
  const cb = callbackListener(o.port ?? 0);
  try {
    const port = await cb.listening;
    const consent = await api.call<Consent>('POST', '/accounts/oauth/start', { body: { ...o.start, redirectUri: `http://127.0.0.1:${port}/callback` } });
    await (o.show ?? ((u) => say(`Open this page to allow MBO access (waiting on 127.0.0.1:${port}):\n\n  ${u}\n`)))(consent.authorizeUrl);
    const timeoutMs = o.timeoutMs ?? 15 * 60_000;
    let timer: NodeJS.Timeout | undefined;
    const q = await Promise.race([
      cb.got,
      new Promise<never>(
        (_, ko) => (timer = setTimeout(() => ko(new AppError('TRANSIENT', `no answer from the consent page within ${timeoutMs / 60_000} min`)), timeoutMs)),
      ),
    ]).finally(() => clearTimeout(timer));
    if (q.get('error'))
      throw new AppError('VALIDATION', `the platform says: ${q.get('error')}${q.get('error_description') ? ` (${q.get('error_description')})` : ''}`);
    if (q.get('state') !== consent.state) throw new AppError('VALIDATION', 'the callback came back with another state: ignored (start again)');
    const code = q.get('code') ?? q.get('auth_code'); // TikTok names it auth_code
    if (!code) throw new AppError('VALIDATION', 'the callback came back without a code');
    const ex = await api.call<Exchanged>('POST', '/accounts/oauth/exchange', { body: { state: consent.state, code } });
    if (!ex.accounts.length) throw new AppError('VALIDATION', 'the consent was given, but the token reaches no ad account');
    const externalId = o.account ?? (ex.accounts.length === 1 ? ex.accounts[0]!.externalId : await (o.choose ?? askOnTerminal)(ex.accounts));
    return await api.call<ConnectedAccount>('POST', '/accounts/oauth/connect', { body: { state: consent.state, externalId } });
  } finally {
    cb.close();
  }
}

/** A secret from the file named, else from the configuration (the environment or .env, through the one loader). */
const readSecret = (file: string | undefined, configured: string | undefined): string | undefined => (file ? readFileSync(file, 'utf8').trim() : configured);
const readJson = (file: string | undefined): Record<string, unknown> | undefined =>
  file ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : undefined;

export function registerAccounts(program: Command) {
  const accounts = program.command('accounts').description('ad accounts: list, connect through the platform’s consent, test access');
  accounts
    .command('list', { isDefault: true })
    .description('the workspace’s ad accounts (any member); never credentials')
    .option('--json', 'machine-readable output')
    .action((opts: { json?: boolean }) =>
      withApi(opts, async ({ api }) => {
        const list = await api.accounts();
        if (opts.json) return printJson(list);
        printTable(
          ['Platform', 'Account', 'Name', 'Currency', 'Connector', 'Campaigns', 'Last sync'],
          list.map((a) => [
            a.platform,
            a.externalId,
            a.name,
            a.currency,
            a.connector,
            a.campaigns,
            a.lastSync ? `${a.lastSync.status} ${when(a.lastSync.at)}` : 'never',
          ]),
        );
      }),
    );
  accounts
    .command('add')
    .description('connect an ad account through the platform’s OAuth consent in your browser (admins)')
    .argument('<platform>', 'google_ads | meta | tiktok | linkedin')
    .requiredOption('--client-id <id>', 'your platform app’s OAuth client id (Meta/TikTok: the app id)')
    .option('--client-secret-file <file>', 'file holding the app’s client secret (else MBO_OAUTH_CLIENT_SECRET)')
    .option('--developer-token-file <file>', 'Google Ads: file holding the developer token (else MBO_GOOGLE_ADS_DEVELOPER_TOKEN)')
    .option('--login-customer-id <id>', 'Google Ads: the manager account you reach the account through')
    .option('--account <id>', 'the account to connect when the token reaches several')
    .option('--port <n>', 'local callback port (the redirect URI registered with the app: http://127.0.0.1:<port>/callback)', '0')
    .option('--endpoints-file <file>', 'JSON {endpoints, options}: other consent/token/API hosts (https, or http on loopback)')
    .option('--json', 'machine-readable output')
    .action(
      (
        platform: string,
        opts: {
          clientId: string;
          clientSecretFile?: string;
          developerTokenFile?: string;
          loginCustomerId?: string;
          account?: string;
          port: string;
          endpointsFile?: string;
          json?: boolean;
        },
      ) => {
        const extra = readJson(opts.endpointsFile);
        const start = {
          platform,
          redirectUri: 'http://127.0.0.1:1/callback', // checked here for its shape only; the real port comes from the listener
          client: { clientId: opts.clientId, clientSecret: readSecret(opts.clientSecretFile, loadConfig().oauth.clientSecret) ?? '' },
          secrets:
            platform === 'google_ads'
              ? {
                  developerToken: readSecret(opts.developerTokenFile, loadConfig().oauth.googleAdsDeveloperToken),
                  loginCustomerId: opts.loginCustomerId,
                }
              : undefined,
          endpoints: extra?.endpoints,
          options: extra?.options,
        };
        const checked = validate(
          startOAuthSchema,
          start,
          {
            platform: '<platform>',
            'client.clientId': '--client-id',
            'client.clientSecret': '--client-secret-file',
            'secrets.developerToken': '--developer-token-file',
          },
          opts.json,
        );
        const { redirectUri: _r, ...body } = checked;
        return withApi(opts, async ({ api }) => {
          const a = await runConsent(api, { start: body, port: Number(opts.port), account: opts.account });
          if (opts.json) return printJson(a);
          say(`Connected ${a.platform} account ${a.externalId} "${a.name}" (${a.currency}, ${a.timeZone}). Credentials are stored encrypted.`);
        });
      },
    );
  accounts
    .command('connect')
    .description('connect an ad account with credentials from a file instead of a consent (admins), e.g. a system-user token')
    .argument('<platform>', 'google_ads | meta | tiktok | linkedin')
    .requiredOption('--account <id>', 'the account’s id on the platform')
    .requiredOption('--secrets-file <file>', 'JSON with the fields the platform needs (README, per platform)')
    .option('--options-file <file>', 'JSON connection options (baseUrl, tokenUrl, conversion types)')
    .option('--json', 'machine-readable output')
    .action((platform: string, opts: { account: string; secretsFile: string; optionsFile?: string; json?: boolean }) => {
      const input = validate(
        connectAccountSchema,
        { platform, externalId: opts.account, secrets: readJson(opts.secretsFile), options: readJson(opts.optionsFile) },
        { platform: '<platform>', externalId: '--account', secrets: '--secrets-file', options: '--options-file' },
        opts.json,
      );
      return withApi(opts, async ({ api }) => {
        const a = await api.call<ConnectedAccount>('POST', '/accounts', { body: input });
        if (opts.json) return printJson(a);
        say(`Connected ${a.platform} account ${a.externalId} "${a.name}" (${a.currency}, ${a.timeZone}).`);
      });
    });
  accounts
    .command('test')
    .description('check an account’s access now (admins)')
    .argument('<account>', 'MBO’s account id or the platform’s')
    .option('--json', 'machine-readable output')
    .action((account: string, opts: { json?: boolean }) =>
      withApi(opts, async ({ api }) => {
        const r = await api.call<{ ok: boolean; account?: string; campaigns?: number; error?: string; ms: number }>(
          'POST',
          `/accounts/${encodeURIComponent(account)}/test`,
        );
        if (opts.json) return printJson(r);
        if (r.ok) say(`OK: ${r.account}, ${r.campaigns} campaigns (${r.ms} ms).`);
        else throw new AppError('VALIDATION', `no access: ${r.error}`);
      }),
    );
}
