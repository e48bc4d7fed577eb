/** The plugin's kernels on every backend, judged by the plugin conformance checks. */
import { runPluginConformance } from '@myelin/conformance';
import { afterAll } from 'vitest';
import { gelu, PLUGIN_NAME, registerGeluPlugin, swish } from '../src/index.js';
import { BACKENDS, disposeBackends } from './backends.js';
import {
  geluExact64,
  geluExactGrad64,
  geluTanh64,
  geluTanhGrad64,
  swish64,
  swishGrad64,
} from './reference.js';

runPluginConformance({
  plugin: PLUGIN_NAME,
  register: () => registerGeluPlugin(),
  backends: BACKENDS,
  ops: [
    {
      name: 'gelu',
      run: (x) => gelu(x),
      reference: geluExact64,
      derivative: geluExactGrad64,
      domain: [-8, 8],
    },
    {
      name: 'gelu(tanh)',
      run: (x) => gelu(x, { approximate: 'tanh' }),
      reference: geluTanh64,
      derivative: geluTanhGrad64,
      domain: [-8, 8],
    },
    { name: 'swish', run: swish, reference: swish64, derivative: swishGrad64, domain: [-12, 12] },
  ],
});

afterAll(disposeBackends);
