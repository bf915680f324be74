import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { afterAll, beforeAll } from '@jest/globals';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DEMO_PASSWORD, startTestApp, type TestApp } from './app.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Browser tests need Debian's Chromium. Without it they are skipped with a notice, except in CI,
 * where a missing browser is a failure (see `describeInBrowser`).
 */
export const chromiumAvailable = existsSync(CHROMIUM_PATH);

export function browserSkipReason(): string | null {
  if (chromiumAvailable) return null;
  if (process.env.CI === 'true') throw new Error(`Chromium is required in CI but missing at ${CHROMIUM_PATH} (apt-get install chromium).`);
  return `Browser tests SKIPPED: no Chromium at ${CHROMIUM_PATH}. Install it with: apt-get install chromium`;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Runs axe-core in the page against WCAG 2.1 A and AA; returns the violations with where they are. */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.waitForLoadState('load');
  // Evaluated through the DevTools protocol, so the page's Content-Security-Policy stays in force.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = (await page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: unknown[] }> } }).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations;
  })) as AxeViolation[];
  const url = page.url();
  return violations.flatMap((v) => v.nodes.map((n) => `${url} ${v.id} (${v.impact}): ${v.help} at ${n.target.join(' ')}`));
}

/**
 * Tracks a tab: every page it lands on is checked with axe. `check()` is called after each step;
 * `assertAllChecked()` proves no visited page was left out.
 */
export class CheckedPage {
  readonly visited: string[] = [];
  readonly checked = new Set<string>();
  readonly violations: string[] = [];

  constructor(readonly page: Page) {
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) this.visited.push(withoutHash(frame.url()));
    });
  }

  async goto(path: string): Promise<void> {
    await this.page.goto(path);
    await this.check();
  }

  async check(): Promise<void> {
    this.violations.push(...(await axeViolations(this.page)));
    this.checked.add(withoutHash(this.page.url()));
  }

  unchecked(): string[] {
    return [...new Set(this.visited)].filter((url) => !this.checked.has(url));
  }
}

/** Jumping to an anchor on the same page is not a new page. */
function withoutHash(url: string): string {
  return url.split('#')[0];
}

/** A describe block's shared setup: the service on a port of its own, Chromium, and tabs checked by axe. */
export function browserJourney() {
  const state: { app?: TestApp; browser?: Browser; baseUrl: string; tabs: CheckedPage[] } = { baseUrl: '', tabs: [] };

  beforeAll(async () => {
    state.app = await startTestApp({ listen: true });
    const { port } = state.app.app.getHttpServer().address() as { port: number };
    state.baseUrl = `http://127.0.0.1:${port}`;
    state.browser = await launchBrowser();
  });

  afterAll(async () => {
    await state.browser?.close();
    await state.app?.close();
  });

  const newTab = async (): Promise<{ tab: CheckedPage; context: BrowserContext }> => {
    const context = await state.browser!.newContext({ baseURL: state.baseUrl, locale: 'de-DE' });
    const tab = new CheckedPage(await context.newPage());
    state.tabs.push(tab);
    return { tab, context };
  };

  const login = async (tab: CheckedPage, email: string): Promise<void> => {
    await tab.goto('/login');
    await tab.page.getByLabel('E-Mail-Adresse').fill(email);
    await tab.page.getByLabel('Passwort', { exact: true }).fill(DEMO_PASSWORD);
    await tab.page.getByRole('button', { name: 'Anmelden' }).click();
    await tab.page.waitForLoadState('load');
    await tab.check();
  };

  /** A new browser (own cookies) logged in as this person. */
  const loggedIn = async (email: string): Promise<CheckedPage> => {
    const { tab } = await newTab();
    await login(tab, email);
    return tab;
  };

  return {
    get app(): TestApp {
      return state.app!;
    },
    tabs: state.tabs,
    newTab,
    login,
    loggedIn,
  };
}

/** Clicks a link or button by its accessible name and checks the page it leads to. */
export async function click(tab: CheckedPage, role: 'link' | 'button', name: string | RegExp): Promise<void> {
  await tab.page.getByRole(role, { name, exact: typeof name === 'string' }).first().click();
  await tab.page.waitForLoadState('load');
  await tab.check();
}

/** Clicks what starts a download and returns the downloaded file's bytes. */
export async function download(page: Page, start: () => Promise<void>): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent('download'), start()]);
  return readFile((await file.path())!);
}
