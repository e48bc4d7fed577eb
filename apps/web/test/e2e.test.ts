/**
 * The web app end to end, as a person uses it, in Debian's Chromium (headless, WebGPU on SwiftShader):
 * load the page, train a spiral classifier on each backend, switch backends mid-training, save and
 * reload a model, load a broken file, classify a digit, run a lab experiment, use it by keyboard and on
 * a phone-sized screen. Each state is kept as a screenshot in test-results/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS_DIR, launchChromium, openPage, screenshot } from './support/browser.js';
import { type Served, servePreview } from './support/server.js';

const BACKENDS = ['cpu', 'worker', 'webgpu'] as const;

let served: Served;
let browser: Browser;
let page: Page;
let problems: string[];

/** A number the page shows, from the `data-value` of a stat. */
async function stat(name: string): Promise<number> {
  return Number(await page.getAttribute(`[data-testid=stat-${name}]`, 'data-value'));
}

async function backendShown(): Promise<string> {
  return (await page.textContent('[data-testid=stat-backend]')) ?? '';
}

/** Waits until a JavaScript condition on the page holds (a string, see TOOLCHAIN.md). */
async function until(condition: string, timeout = 90_000): Promise<void> {
  await page.waitForFunction(condition, null, { timeout, polling: 100 });
}

const statValue = (name: string) =>
  `Number(document.querySelector('[data-testid=stat-${name}]')?.dataset.value)`;
const isRunning = `document.querySelector('[data-testid=run]').dataset.running === 'true'`;

async function chooseBackend(name: string): Promise<void> {
  await page.click(`label[for=backend-${name}]`);
  await until(
    `document.querySelector('#backend-${name}')?.checked && document.querySelector('[data-testid=backends]').getAttribute('aria-busy') === null`,
  );
}

/** Builds fresh weights (same seed) and waits for the first report at step 0. */
async function reset(): Promise<void> {
  await page.click('[data-testid=reset]');
  await until(`${statValue('step')} === 0 && !document.querySelector('[data-testid=reset]').disabled`);
}

async function train(): Promise<void> {
  await page.click('[data-testid=run]');
  await until(isRunning);
}

/** Pauses and waits for the worker's answer, after which the stats are those of the paused model. */
async function pause(): Promise<void> {
  await page.click('[data-testid=run]');
  await until(`!(${isRunning}) && document.querySelector('[data-testid=run]').dataset.settled === 'true'`);
}

beforeAll(async () => {
  served = await servePreview();
  browser = await launchChromium();
  ({ page, problems } = await openPage(browser));
  await page.goto(served.url);
  await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
});

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

afterEach(() => {
  // No console errors and no uncaught exceptions, at any step.
  expect(problems).toEqual([]);
});

describe('playground', () => {
  it('loads, is cross-origin isolated and finds every backend', async () => {
    expect(await page.evaluate('self.crossOriginIsolated')).toBe(true);
    for (const name of BACKENDS) {
      const radio = page.locator(`#backend-${name}`);
      expect(await radio.isEnabled(), `${name} should be available`).toBe(true);
    }
    expect(await page.isChecked('#backend-cpu')).toBe(true);
    expect(await page.textContent('#backend-webgpu-note')).toMatch(/swiftshader/i);
    expect(await stat('step')).toBe(0);
    await screenshot(page, '01-loaded');
  });

  it('steps once, and resets to the same initial weights', async () => {
    const initial = await stat('train-accuracy');
    await page.click('[data-testid=step]');
    await until(`${statValue('step')} === 1`);
    await page.click('[data-testid=step]');
    await until(`${statValue('step')} === 2`);
    await reset();
    expect(await stat('train-accuracy')).toBe(initial);
  });

  for (const name of BACKENDS) {
    it(`trains a spiral classifier to at least 95% test accuracy on ${name}`, async () => {
      await chooseBackend(name);
      await reset();
      await train();
      await until(`${statValue('test-accuracy')} >= 0.95`);
      await pause();
      expect(await backendShown()).toBe(name);
      expect(await stat('test-accuracy')).toBeGreaterThanOrEqual(0.95);
      await screenshot(page, `02-spiral-${name}`);
    });
  }

  it('switches backend in the middle of training and keeps training', async () => {
    await chooseBackend('cpu');
    await reset();
    await train();
    let step = 0;
    for (const next of ['worker', 'webgpu', 'cpu'] as const) {
      await until(`${statValue('step')} >= ${step + 20}`);
      const before = { step: await stat('step'), accuracy: await stat('train-accuracy') };
      await chooseBackend(next);
      await until(`document.querySelector('[data-testid=stat-backend]').textContent === '${next}'`);
      // Still running, from where it was: the weights moved, they were not re-initialised.
      expect(await page.evaluate(isRunning)).toBe(true);
      expect(await stat('step')).toBeGreaterThan(before.step);
      expect(await stat('train-accuracy')).toBeGreaterThan(Math.min(0.8, before.accuracy) - 0.15);
      step = await stat('step');
      await screenshot(page, `03-switched-to-${next}`);
    }
    await until(`${statValue('test-accuracy')} >= 0.95 && ${statValue('step')} >= ${step + 20}`);
    await pause();
    expect(await backendShown()).toBe('cpu');
  });

  it('saves the model and loads it back', async () => {
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    const saved = { step: await stat('step'), accuracy: await stat('test-accuracy') };
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=save]')]);
    const file = join(ARTIFACTS_DIR, 'spiral.safetensors');
    await download.saveAs(file);
    expect(download.suggestedFilename()).toMatch(/^myelin-spiral-step\d+\.safetensors$/);

    await reset();
    expect(await stat('test-accuracy')).toBeLessThan(0.9);

    await page.setInputFiles('[data-testid=load]', file);
    await until(`document.querySelector('[data-testid=file-message]').textContent.startsWith('Loaded')`);
    await until(`${statValue('step')} === ${saved.step}`);
    expect(await stat('test-accuracy')).toBeCloseTo(saved.accuracy, 4);
    await screenshot(page, '04-loaded-model');

    // The loaded run goes on training.
    await train();
    await until(`${statValue('step')} > ${saved.step + 10}`);
    await pause();
  });

  it('explains why a broken file cannot be loaded, and keeps the current model', async () => {
    const before = { step: await stat('step'), accuracy: await stat('test-accuracy') };
    await page.setInputFiles('[data-testid=load]', {
      name: 'broken.safetensors',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from('this is not a model at all'),
    });
    const alert = page.locator('[data-testid=alert]');
    await alert.waitFor({ state: 'visible' });
    expect(await alert.textContent()).toMatch(/broken\.safetensors.*not a valid safetensors file/);
    expect(await stat('step')).toBe(before.step);
    expect(await stat('test-accuracy')).toBe(before.accuracy);
    await screenshot(page, '05-broken-file');
  });

  it('trains with batch norm, dropout, tanh, squared error and momentum on every backend', async () => {
    const settled = `!document.querySelector('[data-testid=reset]').disabled`;
    const choose = async (label: string, option: string) => {
      await page.getByLabel(label, { exact: true }).selectOption({ label: option });
      await until(settled);
    };
    await page.getByLabel('Batch normalisation').check();
    await until(settled);
    await choose('Activation', 'tanh');
    await choose('Dropout', '0.2');
    await choose('Initialisation', 'Xavier (Glorot) uniform');
    await choose('Loss', 'Squared error on probabilities');
    await choose('Optimiser', 'SGD + momentum 0.9');
    await choose('Learning rate', '0.1');
    for (const name of BACKENDS) {
      await chooseBackend(name);
      await reset();
      await train();
      await until(`${statValue('step')} >= 30`);
      await pause();
      expect(await backendShown()).toBe(name);
      expect(Number.isFinite(await stat('loss'))).toBe(true);
      expect(await page.isHidden('[data-testid=alert]')).toBe(true);
    }
    await screenshot(page, '06-options');
    // Back to the defaults for the digits test.
    await page.getByLabel('Batch normalisation').uncheck();
    await until(settled);
    await choose('Activation', 'ReLU');
    await choose('Dropout', 'none');
    await choose('Initialisation', 'PyTorch default');
    await choose('Loss', 'Cross-entropy');
    await choose('Optimiser', 'Adam');
    await choose('Learning rate', '0.01');
  });

  it('trains on digits and classifies an example and a drawn digit', async () => {
    await chooseBackend('cpu');
    await page.selectOption('[data-testid=dataset]', { label: 'Digits (8×8 images, 10 classes)' });
    await until(`!!document.querySelector('[data-testid=draw-pad]') && ${statValue('step')} === 0`);
    await train();
    await until(`${statValue('test-accuracy')} >= 0.9`);
    await pause();

    await page.click('[data-testid=digit-example]');
    await until(`document.querySelector('[data-testid=predictions]').dataset.prediction !== '-1'`);

    // Draw a "7": a top bar and a diagonal.
    const box = await page.locator('[data-testid=draw-pad]').boundingBox();
    if (!box) throw new Error('the drawing pad is not visible');
    const at = (x: number, y: number) => [box.x + x * box.width, box.y + y * box.height] as const;
    await page.mouse.move(...at(0.25, 0.2));
    await page.mouse.down();
    for (const [x, y] of [
      [0.75, 0.2],
      [0.6, 0.5],
      [0.45, 0.85],
    ] as const)
      await page.mouse.move(...at(x, y), { steps: 8 });
    await page.mouse.up();
    await until(
      `document.querySelector('[data-testid=predictions]').getAttribute('aria-label').startsWith('Predicted')`,
    );
    await screenshot(page, '07-digits');
  });
});

describe('lab', () => {
  it('runs an experiment and shows its charts, table and reading', async () => {
    await page.goto(`${served.url}#/lab/vanishing-gradients`);
    await page.waitForSelector('[data-testid=lab-run]');
    await page.click('[data-testid=lab-run]');
    await page.waitForSelector('[data-testid=lab-reading]', { timeout: 120_000 });
    const result = page.locator('[data-testid=lab-result]');
    expect(await result.locator('canvas').count()).toBeGreaterThan(0);
    expect(await result.locator('tbody tr').count()).toBeGreaterThan(0);
    expect((await page.textContent('[data-testid=lab-reading]'))?.length ?? 0).toBeGreaterThan(40);
    await screenshot(page, '08-lab');
  });
});

describe('access', () => {
  it('every control has a label', async () => {
    await page.goto(served.url);
    await page.waitForSelector('body[data-ready=true]');
    const unlabelled = await page.evaluate(
      `[...document.querySelectorAll('input, select, button')].filter((el) => {
         const named = (el.labels && el.labels.length > 0) || el.getAttribute('aria-label') || (el.tagName === 'BUTTON' && el.textContent.trim());
         return !named;
       }).map((el) => el.outerHTML.slice(0, 80))`,
    );
    expect(unlabelled).toEqual([]);
  });

  it('trains and switches backend by keyboard alone', async () => {
    await page.focus('body');
    let reached = false;
    for (let i = 0; i < 12 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(`document.activeElement?.dataset.testid === 'run'`);
    }
    expect(reached).toBe(true);
    await page.keyboard.press('Enter');
    await until(isRunning);
    // Tab to the backend radio group, then the arrow key picks the next backend.
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(`document.activeElement?.name === 'backend'`)) break;
    }
    expect(await page.evaluate(`document.activeElement?.id`)).toBe('backend-cpu');
    await page.keyboard.press('ArrowDown');
    await until(`document.querySelector('[data-testid=stat-backend]').textContent === 'worker'`);
    await page.focus('[data-testid=run]');
    await page.keyboard.press('Space');
    await until(`!(${isRunning})`);
    await screenshot(page, '09-keyboard');
  });

  it('fits a phone-sized screen', async () => {
    const phone = await openPage(browser, { width: 390, height: 844 });
    try {
      await phone.page.goto(served.url);
      await phone.page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
      await phone.page.click('[data-testid=run]');
      await phone.page.waitForFunction(
        `Number(document.querySelector('[data-testid=stat-test-accuracy]')?.dataset.value) >= 0.9`,
        null,
        { timeout: 60_000 },
      );
      await phone.page.click('[data-testid=run]');
      const overflow = await phone.page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
      expect(overflow).toBeLessThanOrEqual(0);
      await screenshot(phone.page, '10-phone-top', false);
      await screenshot(phone.page, '10-phone-full');
      await phone.page.goto(`${served.url}#/lab/vanishing-gradients`);
      await phone.page.waitForSelector('[data-testid=lab-run]');
      expect(
        await phone.page.evaluate('document.documentElement.scrollWidth - window.innerWidth'),
      ).toBeLessThanOrEqual(0);
      await screenshot(phone.page, '11-phone-lab', false);
      expect(phone.problems).toEqual([]);
    } finally {
      await phone.page.context().close();
    }
  });
});

describe('a page served without cross-origin isolation, in a browser without WebGPU flags', () => {
  it('says which backends cannot run and why, and still trains on the CPU', async () => {
    const plain = await servePreview({ isolated: false });
    const bare = await launchChromium({ webgpu: false });
    try {
      const { page: p, problems: pageProblems } = await openPage(bare);
      await p.goto(plain.url);
      await p.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
      expect(await p.evaluate('self.crossOriginIsolated')).toBe(false);
      expect(await p.isDisabled('#backend-worker')).toBe(true);
      expect(await p.textContent('#backend-worker-note')).toMatch(/unavailable: .*cross-origin isolated/);
      const gpuNote = (await p.textContent('#backend-webgpu-note')) ?? '';
      if (await p.isDisabled('#backend-webgpu')) expect(gpuNote).toMatch(/^unavailable: \S/);
      await p.click('[data-testid=run]');
      await p.waitForFunction(
        `Number(document.querySelector('[data-testid=stat-step]')?.dataset.value) > 20`,
        null,
        { timeout: 30_000 },
      );
      await p.click('[data-testid=run]');
      await screenshot(p, '12-not-isolated');
      expect(pageProblems).toEqual([]);
    } finally {
      await bare.close();
      await plain.close();
    }
  });
});
