/**
 * A headless Chromium for the dashboard's browser test and its screenshot script: the Debian package's binary
 * (`/usr/bin/chromium`) or `CHROMIUM_PATH`, driven by puppeteer-core (which downloads no browser of its own). A missing
 * browser is an error that says how to install it — the browser test fails then, it is never skipped.
 */
import { existsSync } from 'node:fs';
import puppeteer, { type Browser } from 'puppeteer-core';

export const CHROMIUM_INSTALL_HINT =
  'install it with `sudo apt-get install -y chromium` (Debian / Ubuntu; `npm test` runs scripts/ensure-chromium.cjs, which does ' +
  'this when it can), or set CHROMIUM_PATH to a Chromium or Chrome binary';

/** The browser binary to use; throws with the install command when there is none. */
export function chromiumPath(): string {
  const wanted = process.env['CHROMIUM_PATH'];
  const path = wanted !== undefined && wanted !== '' ? wanted : '/usr/bin/chromium';
  if (!existsSync(path)) throw new Error(`Chromium not found at ${path}: ${CHROMIUM_INSTALL_HINT}`);
  return path;
}

/** A headless Chromium with a window of `width` × `height` CSS pixels. */
export function launchChromium(width = 1280, height = 900): Promise<Browser> {
  return puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    defaultViewport: { width, height },
    // No sandbox: it needs user namespaces that containers (and root) lack; the browser loads only the local test page.
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--no-default-browser-check', '--hide-scrollbars'],
  });
}
