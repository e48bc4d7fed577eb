/**
 * The WebGPU backend runs the shared conformance suite unchanged (see @myelin/conformance). On a machine
 * with no GPU it runs on Mesa's lavapipe (see README), which compiles every pipeline on the CPU: hence
 * the long per-test timeout.
 */
import { runConformance } from '@myelin/conformance';
import { createWebGpuBackend } from '../src/index.js';

runConformance({
  name: 'webgpu',
  factory: () => createWebGpuBackend(),
  tolerance: { rtol: 1e-5, atol: 1e-6 },
  timeout: 120_000,
});
