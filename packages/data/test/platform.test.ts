import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

/** Every module the entry reaches through static imports, and every bare specifier it imports. */
function importGraph(entry: string): { files: Set<string>; external: Set<string> } {
  const files = new Set<string>();
  const external = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    // Comments hold usage examples that import the package itself: drop them first.
    const text = readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '');
    for (const m of text.matchAll(/(?:import|export)\s[^;]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g)) {
      const spec = (m[1] ?? m[2]) as string;
      if (spec.startsWith('.')) visit(join(dirname(file), spec.replace(/\.js$/, '.ts')));
      else external.add(spec);
    }
  };
  visit(join(src, entry));
  return { files, external };
}

describe('platform neutrality', () => {
  it('keeps Node built-ins out of the main entry', () => {
    const { files, external } = importGraph('index.ts');
    expect([...external].sort()).toEqual(['@myelin/core']);
    expect([...files].some((f) => f.includes(`${join(src, 'node')}`))).toBe(false);
  });

  it('puts the file readers in the node entry, which imports only core and node: modules', () => {
    const { external } = importGraph('node.ts');
    expect([...external].every((s) => s === '@myelin/core' || s.startsWith('node:'))).toBe(true);
    expect(external.has('node:fs/promises')).toBe(true);
  });
});
