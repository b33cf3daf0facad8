import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Where a Chromium is looked for, in order (`CHROMIUM_PATH` first). Nothing is ever downloaded. */
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** Thrown when no Chromium is installed: the browser tests fail (never skip) and say how to install one. */
export class ChromiumNotFoundError extends Error {
  override readonly name = 'ChromiumNotFoundError';
}

/**
 * The Chromium the browser tests drive.
 *
 * @param env - `CHROMIUM_PATH` is looked at first
 * @param candidates - the usual install locations
 * @throws {@link ChromiumNotFoundError} with the install command
 */
export function findChromium(env: Readonly<Record<string, string | undefined>> = process.env, candidates: readonly string[] = CANDIDATES): string {
  const wanted = env['CHROMIUM_PATH'];
  const looked = [...(wanted === undefined || wanted === '' ? [] : [wanted]), ...candidates];
  const found = looked.find((path) => existsSync(path));
  if (found === undefined) {
    throw new ChromiumNotFoundError(
      `no Chromium found (looked at ${looked.join(', ')}); the console's browser tests need one: ` +
        'sudo apt-get install -y chromium (Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium or Chrome binary',
    );
  }
  return found;
}

/** A headless Chromium with a fresh profile (`--user-data-dir`), closed and its profile removed by `close()`. */
export async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'console-chromium-'));
  // playwright-core takes the profile directory here rather than as a `--user-data-dir` argument (it refuses that).
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: findChromium(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
