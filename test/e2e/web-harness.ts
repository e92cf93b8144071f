// The web app's end-to-end world: the API process's app (createApp, which mounts the built web app) served on an
// ephemeral loopback port, a synced sandbox workspace with one member per role who can log in with a password,
// and headless Chromium (Debian's, through playwright-core) with console-error, axe-core and screenshot checks.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { PROJECT_ROOT } from '../../lib/config.js';
import { setMember } from '../../services/members/members.js';
import type { AppContext } from '../../services/context.js';
import { ensureWebBuild } from '../../web/server/ensure-build.js';
import { apiContext, apiFor, apiWorld, PEOPLE, userOf, type ApiWorld, type Person } from './api-harness.js';
import { memberContext, startInProcessWorker } from './harness.js';

export const CHROMIUM = process.env.MBO_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = path.join(PROJECT_ROOT, 'test', 'e2e', 'artifacts', 'web');
export const PASSWORD = 'correct horse battery staple';

/** Why the browser tests cannot run here (no Chromium), or null. */
export function skipReason(): string | null {
  return existsSync(CHROMIUM) ? null : `no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set MBO_CHROMIUM)`;
}

export interface WebWorld {
  ctx: AppContext;
  w: ApiWorld;
  url: string;
  browser: Browser;
  user: (p: Person) => string;
  stop: () => Promise<void>;
}

export async function webWorld(): Promise<WebWorld> {
  ensureWebBuild();
  mkdirSync(ARTIFACTS, { recursive: true });
  const ctx = await apiContext();
  const worker = await startInProcessWorker(ctx);
  const w = await apiWorld(ctx);
  const admin = await memberContext(ctx, w.workspace, userOf(w, 'admin'), 'admin', 'web');
  for (const p of Object.keys(PEOPLE) as Person[]) {
    const role = p === 'approver2' ? 'approver' : p === 'admin2' ? 'admin' : (p as 'viewer' | 'analyst' | 'approver' | 'admin');
    await setMember(admin, { userId: userOf(w, p), role, password: PASSWORD });
  }
  const app = apiFor(ctx);
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--headless', '--disable-dev-shm-usage'],
  });
  return {
    ctx,
    w,
    url,
    browser,
    user: (p) => userOf(w, p),
    stop: async () => {
      await browser.close().catch(() => {});
      await new Promise((r) => server.close(() => r(undefined)));
      worker.worker.shutdown();
      await worker.done;
      await ctx.close();
    },
  };
}

export interface Session {
  context: BrowserContext;
  page: Page;
  /** Console errors and page errors seen so far. */
  errors: string[];
}

/** A fresh browser context (its own cookies), nobody logged in, its console and page errors collected. */
export async function anonymous(ww: WebWorld, viewport = { width: 1280, height: 900 }): Promise<Session> {
  const context = await ww.browser.newContext({ viewport, baseURL: ww.url });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page: ${e.message}`));
  return { context, page, errors };
}

/** A fresh browser context (its own cookies) logged in as the person. */
export async function logInAs(ww: WebWorld, p: Person, viewport = { width: 1280, height: 900 }): Promise<Session> {
  const session = await anonymous(ww, viewport);
  const { page } = session;
  await page.goto('/login');
  await page.getByLabel('User or e-mail').fill(ww.user(p));
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return session;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Accessibility (axe-core, WCAG 2 A/AA rules): the serious and critical violations of the page as it is now. */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run: (o: unknown) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> };
      }
    ).axe;
    return axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} (${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(', ')})`,
    );
}

/** The checks every page gets: no console errors, no serious or critical axe violations, a screenshot saved. */
export async function checkPage(s: Session, name: string): Promise<void> {
  // Not "networkidle": the inbox keeps an event stream open. Hydration follows the load event closely.
  await s.page.waitForLoadState('load');
  await s.page.waitForTimeout(400);
  await s.page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  expect(await seriousA11yViolations(s.page), `axe on ${name}`).toEqual([]);
  expect(s.errors, `console errors on ${name}`).toEqual([]);
}
