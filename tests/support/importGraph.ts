import { existsSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The files a TypeScript/JavaScript entry point loads at run time, following relative imports and
 * the workspaces' package `exports`; and the npm packages it loads. `import type` and
 * `export type` vanish at run time and are not followed.
 */
export interface ImportGraph {
  /** Repository-relative paths of the local files reached. */
  files: Set<string>;
  /** npm package names imported for their value (builtins excluded). */
  packages: Map<string, string[]>;
}

const workspaces: Record<string, string> = {
  '@huijian/sfu-server': 'sfu-server',
  '@huijian/signaling': 'signaling',
  '@huijian/clients': 'clients',
};

const specifierPattern =
  /(?:^|[;\n}])\s*(import|export)\s+(type\s+)?([^;]*?)\s*from\s*['"]([^'"]+)['"]|(?:^|[;\n])\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Value imports of one file's source (comments removed first). */
export function valueImports(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const found: string[] = [];
  for (const match of code.matchAll(specifierPattern)) {
    if (match[1]) {
      if (match[2]) continue; // import type / export type
      found.push(match[4]!);
    } else {
      found.push((match[5] ?? match[6])!);
    }
  }
  return found;
}

export function importGraph(repoRoot: string, entries: string[]): ImportGraph {
  const files = new Set<string>();
  const packages = new Map<string, string[]>();
  const queue = entries.map((entry) => resolve(repoRoot, entry));
  while (queue.length > 0) {
    const file = queue.pop()!;
    const rel = relative(repoRoot, file);
    if (files.has(rel)) continue;
    files.add(rel);
    for (const specifier of valueImports(readFileSync(file, 'utf8'))) {
      if (specifier.startsWith('node:')) continue;
      if (specifier.startsWith('.')) {
        queue.push(resolveFile(resolve(dirname(file), specifier), `${rel} imports ${specifier}`));
        continue;
      }
      const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
      const workspace = workspaces[name];
      if (workspace) {
        const manifest = JSON.parse(readFileSync(join(repoRoot, workspace, 'package.json'), 'utf8')) as { exports?: Record<string, string> };
        const subpath = `.${specifier.slice(name.length)}` || '.';
        const target = manifest.exports?.[subpath];
        if (!target) throw new Error(`${rel} imports ${specifier}, which ${workspace}/package.json does not export`);
        queue.push(resolveFile(join(repoRoot, workspace, target), `${rel} imports ${specifier}`));
        continue;
      }
      if (isBuiltin(name)) continue;
      packages.set(name, [...(packages.get(name) ?? []), rel]);
    }
  }
  return { files, packages };
}

function resolveFile(base: string, what: string): string {
  for (const candidate of [base, `${base}.ts`, `${base}.mjs`, `${base}.js`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  throw new Error(`cannot resolve: ${what}`);
}

function isBuiltin(name: string): boolean {
  return builtinModules.includes(name);
}
