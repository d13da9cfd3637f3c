// The main entry must run in a browser: no module reachable from src/index.ts may import `node:`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..');

function reachable(entry: string): Map<string, string[]> {
  const imports = new Map<string, string[]>();
  const walk = (file: string) => {
    if (imports.has(file)) return;
    const text = fs.readFileSync(file, 'utf8');
    const specs = [
      ...text.matchAll(/(?:import|export)\s[^'"]*?from\s+'([^']+)'|import\('([^']+)'\)/g),
    ].map((m) => m[1] ?? m[2]);
    imports.set(file, specs);
    for (const s of specs) {
      if (s.startsWith('.')) walk(path.resolve(path.dirname(file), s.replace(/\.js$/, '.ts')));
    }
  };
  walk(entry);
  return imports;
}

describe('browser safety', () => {
  it('reaches no node: module from the main entry', () => {
    const graph = reachable(path.join(root, 'src/index.ts'));
    expect(graph.size).toBeGreaterThan(30);
    const offenders = [...graph].flatMap(([file, specs]) =>
      specs
        .filter((s) => s.startsWith('node:') || s === 'fs' || s === 'path')
        .map((s) => `${path.relative(root, file)} → ${s}`),
    );
    expect(offenders).toEqual([]);
  });
  it('keeps file access in the node entry', () => {
    const graph = reachable(path.join(root, 'src/node.ts'));
    expect([...graph.values()].flat().some((s) => s.startsWith('node:'))).toBe(true);
  });
});
