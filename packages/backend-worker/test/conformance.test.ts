/**
 * The worker backend runs the shared conformance suite unchanged (see @myelin/conformance).
 */
import { runConformance } from '@myelin/conformance';
import { createWorkerBackend } from './built.js';

runConformance({ name: 'worker', factory: () => createWorkerBackend() });
