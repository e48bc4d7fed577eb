/** The command line: `bench [--quick] [--only matmul,conv2d] [--engines tfjs-cpu,myelin-cpu] [--out FILE]`. */
import { ENGINE_IDS, type EngineId } from './types.js';

export interface Args {
  quick: boolean;
  /** Workload ids (or prefixes of them) to run; empty: all. */
  only: string[];
  engines: EngineId[];
  /** Where to write the Markdown report; `-` for stdout; undefined: docs/benchmarks.md. */
  out?: string;
  help: boolean;
}

export const USAGE = `Usage: pnpm --filter @myelin/bench bench [options]

Runs the same workloads on Myelin's backends and on TensorFlow.js (cpu, wasm SIMD) in one Node process,
prints progress to stderr and writes docs/benchmarks.md.

Options:
  --quick              fewer runs and shorter timed runs (a full run takes minutes)
  --only a,b           only these workloads (ids or prefixes: matmul, conv2d, add, mlp, lenet)
  --engines a,b        only these engines (${ENGINE_IDS.join(', ')})
  --out FILE           write the report to FILE instead ('-' prints it to stdout)
  -h, --help           this text`;

function list(value: string | undefined, flag: string): string[] {
  if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a comma-separated list`);
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Parses argv (without node and the script); throws with a message on anything unknown. */
export function parseArgs(argv: readonly string[]): Args {
  const args: Args = { quick: false, only: [], engines: [...ENGINE_IDS], help: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = (argv[i] as string).split(/=(.*)/s, 2) as [string, string | undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--':
        break;
      case '--quick':
        args.quick = true;
        break;
      case '--only':
        args.only = list(value(), flag);
        break;
      case '--engines': {
        const ids = list(value(), flag);
        for (const id of ids) {
          if (!(ENGINE_IDS as readonly string[]).includes(id))
            throw new Error(`unknown engine '${id}'; known: ${ENGINE_IDS.join(', ')}`);
        }
        args.engines = ids as EngineId[];
        break;
      }
      case '--out':
        args.out = value();
        if (!args.out) throw new Error('--out needs a file');
        break;
      case '-h':
      case '--help':
        args.help = true;
        break;
      default:
        throw new Error(`unknown argument '${argv[i]}'`);
    }
  }
  return args;
}
