/**
 * The CPU backend runs the shared conformance suite unchanged (see @myelin/conformance).
 */
import { runConformance } from '@myelin/conformance';
import { CpuBackend } from '../src/index.js';

runConformance({ name: 'cpu', factory: () => new CpuBackend() });
