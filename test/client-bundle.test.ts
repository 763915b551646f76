import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Browser code must not load zod. Creating a zod 4 object schema probes whether eval works
 * (`new Function("")`, caught); under our CSP (script-src without 'unsafe-eval') the browser
 * reports that probe as a "script-src eval" violation. So no module a 'use client' file
 * imports at run time — directly or through others — may import zod: constants the UI shares
 * with the schemas live in zod-free modules (e.g. lib/validation/limits.ts). Type-only imports
 * are erased and do not count.
 */
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const EXTENSIONS = ['.ts', '.tsx', '/index.ts', '/index.tsx'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name === 'node_modules' || name === 'generated' || name.startsWith('.')) return [];
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [full] : [];
  });
}

/** Module specifiers a file loads at run time: `import type` / `export type` and all-type braces left out. */
export function runtimeImports(source: string): string[] {
  const specifiers: string[] = [];
  const statement = /^\s*(import|export)\s+(type\s+)?([^;]*?)\s*from\s*'([^']+)'/gms;
  for (const match of source.matchAll(statement)) {
    const [, , typeOnly, clause, specifier] = match;
    if (typeOnly) continue;
    const braces = /^\{([^}]*)\}$/.exec(clause!.trim());
    if (braces && braces[1]!.split(',').every((name) => !name.trim() || /^type\s/.test(name.trim()))) continue;
    specifiers.push(specifier!);
  }
  for (const match of source.matchAll(/^\s*import\s+'([^']+)'/gm)) specifiers.push(match[1]!);
  return specifiers;
}

function resolve(from: string, specifier: string): string | null {
  const base = specifier.startsWith('@/') ? path.join(root, specifier.slice(2)) : specifier.startsWith('.') ? path.resolve(path.dirname(from), specifier) : null;
  if (!base) return null;
  for (const candidate of [base, ...EXTENSIONS.map((extension) => base + extension)]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/**
 * The chain of files from `file` to one that imports zod, or null. A 'use server' module is
 * not bundled (the client gets references to its actions), so the walk stops there.
 */
function pathToZod(file: string, seen = new Set<string>()): string[] | null {
  if (seen.has(file)) return null;
  seen.add(file);
  const source = readFileSync(file, 'utf8');
  if (seen.size > 1 && /^\s*'use server'/.test(source)) return null;
  for (const specifier of runtimeImports(source)) {
    if (specifier === 'zod' || specifier.startsWith('zod/')) return [file];
    const next = resolve(file, specifier);
    const chain = next ? pathToZod(next, seen) : null;
    if (chain) return [file, ...chain];
  }
  return null;
}

describe('client bundles', () => {
  it('reads type-only imports as erased', () => {
    expect(runtimeImports("import type { A } from 'zod';\nimport { type B, type C } from './x';\nexport type { D } from './y';")).toEqual([]);
    expect(runtimeImports("import { type B, C } from './x';\nimport {\n  D,\n} from '@/lib/y';\nexport { E } from './z';")).toEqual(['./x', '@/lib/y', './z']);
  });

  it('follows imports to zod, and stops at server actions', () => {
    const environments = path.join(root, 'lib/validation/environments.ts');
    expect(pathToZod(environments)).toEqual([environments]);
    expect(pathToZod(path.join(root, 'components/alerts/channel-buttons.tsx'))).toBeNull();
  });

  it('no client component loads zod', () => {
    const clientFiles = ['app', 'components', 'lib'].flatMap((dir) => sourceFiles(path.join(root, dir))).filter((file) => /^\s*'use client'/.test(readFileSync(file, 'utf8')));
    expect(clientFiles.length).toBeGreaterThan(20);
    const offenders = clientFiles.flatMap((file) => {
      const chain = pathToZod(file);
      return chain ? [chain.map((step) => path.relative(root, step)).join(' → ')] : [];
    });
    expect(offenders).toEqual([]);
  });
});
