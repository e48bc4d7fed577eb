// Bundles src/check.ts into one ESM file with every Myelin package inlined (from their built dist/) and
// the `webgpu` package (Dawn's native addon) left external. `vitest` is mapped to apps/web's describe/it
// shim, so @myelin/conformance runs outside vitest. Usage: node bundle.mjs OUTFILE
import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const outfile = resolve(process.argv[2] ?? join(root, '.gpu/check.mjs'));

// esbuild is not a dependency of this folder (it is no workspace package): take tsup's, hoisted by pnpm.
function loadEsbuild() {
  const candidates = [join(root, 'node_modules/.pnpm/node_modules/esbuild')];
  try {
    candidates.push(
      createRequire(realpathSync(join(root, 'node_modules/tsup/package.json'))).resolve('esbuild'),
    );
  } catch {}
  for (const c of candidates) {
    try {
      return createRequire(join(root, 'package.json'))(c);
    } catch {}
  }
  throw new Error('esbuild not found: run pnpm install at the repo root');
}
const esbuild = loadEsbuild();

const result = await esbuild.build({
  entryPoints: [join(here, 'src/check.ts')],
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['webgpu'],
  alias: { vitest: join(root, 'apps/web/src/conformance/vitest-shim.ts') },
  // The Myelin packages resolve through apps/web's workspace links (it depends on all six used here).
  nodePaths: [join(root, 'apps/web/node_modules')],
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
});
const inputs = Object.keys(result.metafile.inputs);
const from = (pkg) => inputs.filter((p) => p.includes(`packages/${pkg}/`)).length;
console.log(
  `bundled ${inputs.length} modules into ${outfile} ` +
    `(core ${from('core')}, backend-webgpu ${from('backend-webgpu')}, backend-cpu ${from('backend-cpu')}, ` +
    `conformance ${from('conformance')}, layers ${from('layers')}, optim ${from('optim')})`,
);
