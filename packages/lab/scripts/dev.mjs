// Development runner: node scripts/dev.mjs <name|all> [--quick] [--seeds 0,1,2]
// Runs experiments on the CPU backend (needs a build: pnpm build) and prints metrics with their spread.
import { registerCpuBackend } from '@myelin/backend-cpu';
import { memory, setBackend } from '@myelin/core';
import { experiments, getExperiment } from '../dist/index.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const seedsArg = args[args.indexOf('--seeds') + 1];
const seeds = args.includes('--seeds') ? seedsArg.split(',').map(Number) : [0];
const name = args.find((a) => !a.startsWith('--') && a !== seedsArg) ?? 'all';
const verbose = args.includes('--verbose');
registerCpuBackend();
await setBackend('cpu');
const list = name === 'all' ? experiments : name.split(',').map(getExperiment);
for (const e of list) {
  const per = {};
  for (const seed of seeds) {
    const before = memory().tensors;
    const r = await e.run({ seed, quick });
    const leaked = memory().tensors - before;
    console.log(
      `${e.name} seed ${seed}${quick ? ' quick' : ''}: ${r.run.seconds.toFixed(2)} s, leaked tensors ${leaked}`,
    );
    if (verbose) {
      console.log(r.table.columns.join(' | '));
      for (const row of r.table.rows) console.log(row.join(' | '));
      console.log(r.reading);
    }
    for (const [k, v] of Object.entries(r.metrics)) {
      per[k] ??= [];
      per[k].push(v);
    }
  }
  for (const [k, vs] of Object.entries(per)) {
    const min = Math.min(...vs);
    const max = Math.max(...vs);
    console.log(
      `  ${k.padEnd(40)} ${vs.map((v) => v.toPrecision(4)).join('  ')}   [${min.toPrecision(3)} … ${max.toPrecision(3)}]`,
    );
  }
}
