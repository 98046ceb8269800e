/**
 * Headless Chromium for the browser test and the README screenshots: Debian's chromium driven by
 * playwright-core (no browser download), a fresh profile, and the flags that keep it from reaching
 * for the network at start (this machine's network is closed; see the node machine notes).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.PROVABLY_CHROMIUM ?? '/usr/bin/chromium';

/** Null when chromium can be used, else why not (for the skip message). */
export function chromiumMissing(): string | null {
  return existsSync(CHROMIUM) ? null : `no Chromium at ${CHROMIUM} (install Debian's: apt-get install -y chromium; or set PROVABLY_CHROMIUM)`;
}

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];

export async function withBrowser<T>(fn: (ctx: BrowserContext) => Promise<T>, viewport = { width: 1280, height: 900 }): Promise<T> {
  const profile = mkdtempSync(join(tmpdir(), 'provably-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport, deviceScaleFactor: 1 });
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
