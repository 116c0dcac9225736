import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

/** Finds an installed package folder without its `exports` map (Human and face-api hide package.json). */
export function packageDir(name: string): string {
  for (const base of require.resolve.paths(name) ?? []) {
    const dir = join(base, name);
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  throw new Error(`package not installed: ${name}`);
}

/** Loads a CommonJS bundle by file path (the node-wasm builds are not reachable through `exports`). */
export function requireFile<T>(path: string): T {
  return require(path) as T;
}
