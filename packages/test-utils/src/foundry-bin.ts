// Paths of the native Foundry binaries that @foundry-rs/<tool> installs per platform.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { TestUtilsError } from './errors.js';
import { repoRoot } from './repo-root.js';

export type FoundryTool = 'anvil' | 'cast';

const ARCH: Partial<Record<string, string>> = { x64: 'amd64', arm64: 'arm64' };

/** `@foundry-rs/<tool>-<os>-<arch>`, the way the npm wrapper names its platform packages. */
export function foundryPackageName(
  tool: FoundryTool,
  platform = process.platform,
  arch = process.arch,
): string {
  return `@foundry-rs/${tool}-${platform}-${ARCH[arch] ?? arch}`;
}

/**
 * The platform binary itself, not the npm wrapper: the wrapper exits 0 even when the tool fails,
 * so tests could not see failures through it.
 */
export function foundryBin(tool: FoundryTool): string {
  const pkg = foundryPackageName(tool);
  const file = process.platform === 'win32' ? `${tool}.exe` : tool;
  const tried: string[] = [];
  try {
    const manifest = createRequire(import.meta.url).resolve(`${pkg}/package.json`);
    const bin = join(dirname(manifest), 'bin', file);
    if (existsSync(bin)) return bin;
    tried.push(bin);
  } catch {
    tried.push(`require.resolve(${pkg}/package.json)`);
  }
  // Hoisting can put the package where this module's resolution does not look.
  const fallback = join(repoRoot(), 'node_modules', pkg, 'bin', file);
  if (existsSync(fallback)) return fallback;
  tried.push(fallback);
  throw new TestUtilsError(
    { code: 'BINARY_NOT_FOUND', tool, tried },
    `${tool} binary not found; tried ${tried.join(', ')}`,
  );
}

/** Path of the platform `cast` binary. */
export function castBin(): string {
  return foundryBin('cast');
}

/** Path of the platform `anvil` binary. */
export function anvilBin(): string {
  return foundryBin('anvil');
}
