/**
 * The `myelin` executable (dist/cli.js; tsup adds the shebang). Wires the process to `main`: stdout and
 * stderr, Ctrl-C, the exit code, and a clean shutdown of backend threads and devices.
 */
import { disposeBackends } from './backends/setup.js';
import { EXIT } from './errors.js';
import { main } from './main.js';

const controller = new AbortController();
let interrupts = 0;
process.on('SIGINT', () => {
  interrupts += 1;
  if (interrupts === 1) {
    // The running command sees the signal at its next batch, saves what it was asked to save, and stops.
    controller.abort();
    process.stderr.write('\nstopping at the end of this batch (Ctrl-C again to quit at once)\n');
  } else {
    process.stderr.write('\nstopped at once\n');
    process.exit(EXIT.interrupted);
  }
});

// `pnpm myelin ...` runs the root script from the repository root; relative paths the user typed are
// meant against the folder the command was typed in.
if (process.env.npm_lifecycle_event === 'myelin' && process.env.INIT_CWD) {
  try {
    process.chdir(process.env.INIT_CWD);
  } catch {
    // keep the current folder
  }
}

const code = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
});
process.exitCode = code;
await disposeBackends();
// A backend that leaves a handle open (a thread, a device) must not keep a finished command alive.
setTimeout(() => process.exit(code), 2000).unref();
