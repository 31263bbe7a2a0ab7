import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * Browser tests need Debian's chromium. `.ci/run` installs it and sets
 * REQUIRE_CHROMIUM=1, so CI fails rather than skips when it is missing; on a
 * developer machine without it the browser tests are skipped, loudly.
 */
export const chromiumAvailable = existsSync(CHROMIUM);
if (!chromiumAvailable && process.env.REQUIRE_CHROMIUM === '1') throw new Error(`${CHROMIUM} is missing but REQUIRE_CHROMIUM=1`);
if (!chromiumAvailable) console.warn(`[browser tests skipped] ${CHROMIUM} not found: apt-get install -y chromium`);

/**
 * Headless Chromium with the flags this closed network needs (no background
 * networking, no component updates). Playwright gives every launch a fresh,
 * temporary profile.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
