/** The plugin's kernels on every backend, judged by the plugin conformance checks. */
import { runPluginConformance } from '@myelin/conformance';
import { afterAll } from 'vitest';
import { __OP__, PLUGIN_NAME, register } from '../src/index.js';
import { BACKENDS, disposeBackends } from './backends.js';

runPluginConformance({
  plugin: PLUGIN_NAME,
  register,
  backends: BACKENDS,
  ops: [
    {
      name: '__OP__',
      run: __OP__,
      // An independent float64 reference of the op and its derivative: the judge of every kernel.
      reference: (x) => x / (1 + Math.abs(x)),
      derivative: (x) => 1 / (1 + Math.abs(x)) ** 2,
    },
  ],
});

afterAll(disposeBackends);
