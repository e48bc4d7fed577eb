/**
 * The `myelin` executable (dist/cli.js; tsup adds the shebang). Wires the process to `main`: stdout and
 * stderr, Ctrl-C, the exit code, and a clean shutdown of backend threads and devices.
 *
 * Everything else is imported dynamically, so that a broken install (a package not built) is reported in
 * one sentence instead of Node's module-resolution stack trace.
 */
const EXIT_FAILED = 1;
const EXIT_INTERRUPTED = 130;

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
    process.exit(EXIT_INTERRUPTED);
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

let modules: [typeof import('./main.js'), typeof import('./backends/setup.js')];
try {
  modules = await Promise.all([import('./main.js'), import('./backends/setup.js')]);
} catch (error) {
  const e = error as NodeJS.ErrnoException;
  const missing = e.code === 'ERR_MODULE_NOT_FOUND' ? / '([^']+)'/.exec(e.message)?.[1] : undefined;
  process.stderr.write(
    missing
      ? `error: myelin is not fully installed: ${missing} is missing\nhint: run 'pnpm install && pnpm build' at the repository root\n`
      : `error: myelin could not start: ${e.message}\n`,
  );
  if (process.argv.includes('--verbose')) process.stderr.write(`${e.stack}\n`);
  process.exit(EXIT_FAILED);
}
const [{ main }, { disposeBackends }] = modules;

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
