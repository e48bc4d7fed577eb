/**
 * The live display in a real terminal: tmux runs `myelin train`, and the test reads the screen with
 * capture-pane while it runs. Skipped where tmux is not installed (apt-get install tmux).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, tempDir } from './helpers.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const socket = `myelin-cli-test-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
const tmp = tempDir();

afterAll(() => {
  if (hasTmux) spawnSync('tmux', ['-L', socket, 'kill-server']);
  tmp.cleanup();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!hasTmux)('in a terminal (tmux)', () => {
  it('draws a progress bar that updates in place, then a table row per epoch and a summary', async () => {
    // LeNet on digits with small batches: slow enough to catch the bar mid-epoch.
    const command = `cd ${tmp.dir} && MYELIN_DISABLE_BACKENDS=webgpu,worker ${process.execPath} ${CLI} train -m lenet -e 2 --batch-size 8 --no-save --no-plot; echo "EXIT=$?"; sleep 120`;
    tmux('new-session', '-d', '-s', 'train', '-x', '120', '-y', '40', command);
    const bars = new Set<string>();
    let screen = '';
    const started = Date.now();
    while (Date.now() - started < 90_000) {
      screen = tmux('capture-pane', '-p', '-t', 'train');
      for (const line of screen.split('\n')) if (/^epoch \d\/2 [█░]+ +\d+%/.test(line)) bars.add(line.trim());
      if (/EXIT=\d+/.test(screen)) break;
      await sleep(150);
    }
    expect(screen).toContain('EXIT=0');
    // The bar was seen at several positions, with a rate and an ETA.
    expect(bars.size).toBeGreaterThan(2);
    for (const bar of bars) expect(bar).toMatch(/\d+\/1294 · [\d,.—]+ samples\/s · ETA \S+ · loss \S+$/);
    // It redrew in place: at most one bar on screen at any time, and none left once the run ended.
    const lines = screen.split('\n');
    expect(lines.filter((l) => /^epoch \d\/2 [█░]/.test(l))).toHaveLength(0);
    expect(lines.filter((l) => /^\s+[12]\/2 │/.test(l))).toHaveLength(2);
    expect(screen).toMatch(/✔ test accuracy \d+\.\d\d%/);
    // Colour is on in a terminal: the escape codes are in the pane's content.
    expect(tmux('capture-pane', '-p', '-e', '-t', 'train')).toContain('\u001b[');
  });
});
