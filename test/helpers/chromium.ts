// Headless Debian chromium for the browser tests (playwright-core drives it; no browser download).
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** The `skip` of a browser test: false when chromium is installed, else why not. */
export const chromiumSkip: string | false = existsSync(CHROMIUM) ? false : 'Debian chromium is not installed (scripts/setup.mjs --tests installs it)';

/** Where browser tests leave their screenshots. */
export const ARTIFACTS = 'test-artifacts';

const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--disable-quic', '--no-first-run', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
];

/** Chromium with a fresh profile and a 1280 × 900 viewport. */
export function launchChromium(opts: { acceptDownloads?: boolean } = {}): Promise<BrowserContext> {
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'b2m-chromium-')), {
    executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 900 }, ...opts,
  });
}

/** Collects a page's console errors, uncaught exceptions and every URL it requests. */
export function watchPage(page: Page): { errors: string[]; requests: string[] } {
  const seen = { errors: [] as string[], requests: [] as string[] };
  page.on('console', (m) => {
    if (m.type() === 'error') seen.errors.push(m.text());
  });
  page.on('pageerror', (e) => seen.errors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => seen.requests.push(r.url()));
  return seen;
}
