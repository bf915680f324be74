import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project folder (the one with package.json), whether running from src/ or dist/src/. */
export const PROJECT_ROOT = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return dir;
})();

export const TEMPLATES_DIR = join(PROJECT_ROOT, 'templates');

export function resolveDataDir(dataDir: string): string {
  return resolve(PROJECT_ROOT, dataDir);
}
