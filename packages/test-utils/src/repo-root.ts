// The monorepo's root directory, found from this file so helpers work from src/ and dist/ alike.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestUtilsError } from './errors.js';

let cached: string | undefined;

/** The nearest ancestor directory whose package.json declares npm workspaces. */
export function repoRoot(): string {
  if (cached !== undefined) return cached;
  const from = dirname(fileURLToPath(import.meta.url));
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const json = JSON.parse(readFileSync(manifest, 'utf8')) as { workspaces?: unknown };
      if (json.workspaces !== undefined) {
        cached = dir;
        return dir;
      }
    }
    if (dirname(dir) === dir) {
      throw new TestUtilsError(
        { code: 'REPO_ROOT_NOT_FOUND', from },
        `no package.json with workspaces above ${from}`,
      );
    }
  }
}
