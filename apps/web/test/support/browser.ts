/**
 * Debian's Chromium, headless, driven by playwright-core, with the flags that give WebGPU a SwiftShader
 * adapter on a machine without a GPU (see shared TOOLCHAIN.md). Every page records its console errors
 * and uncaught exceptions, so a test can assert there were none.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env.MYELIN_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--disable-vulkan-surface',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
];

const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RESULTS_DIR = join(appRoot, 'test-results');
export const SCREENSHOTS_DIR = join(RESULTS_DIR, 'screenshots');
export const ARTIFACTS_DIR = join(RESULTS_DIR, 'artifacts');

/**
 * Starts Chromium, or throws saying how to install it. `webgpu: false` leaves out the flags that give it
 * a WebGPU adapter.
 */
export async function launchChromium(options: { webgpu?: boolean } = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: run \`apt-get install -y chromium\` (or set MYELIN_CHROMIUM)`,
    );
  }
  const args =
    options.webgpu === false ? CHROMIUM_FLAGS.filter((f) => !/webgpu|vulkan/i.test(f)) : CHROMIUM_FLAGS;
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args });
}

/** A page and the problems it reported: console errors and uncaught exceptions. */
export interface WatchedPage {
  page: Page;
  problems: string[];
}

/** Opens a page that records console errors and page errors into `problems`. */
export async function openPage(
  browser: Browser,
  viewport = { width: 1400, height: 1000 },
): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  return { page, problems };
}

/** Saves a screenshot as test-results/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<string> {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  const path = join(SCREENSHOTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}
