import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'kernel-kit': 'src/kernel-kit.ts' },
  format: ['esm'],
  target: 'es2022',
  platform: 'neutral',
  // stripInternal: members marked @internal (GpuTensor.buffer) stay out of the .d.ts, which then mentions
  // no WebGPU type (GPUDevice...) and type-checks without @webgpu/types or the DOM lib.
  dts: { compilerOptions: { ignoreDeprecations: '6.0', stripInternal: true } },
  sourcemap: true,
  clean: true,
  treeshake: true,
});
