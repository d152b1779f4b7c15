// Compiling Solidity in-process with solc-js (standard JSON), for contracts the tests deploy.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import solc from 'solc';
import type { Abi } from 'viem';
import { ERC20_CONTRACT_NAME, ERC20_FILE, ERC20_SOURCE } from './erc20.js';
import { TestUtilsError } from './errors.js';
import { repoRoot } from './repo-root.js';

export interface CompiledContract {
  abi: Abi;
  /** Creation bytecode; `0x` for interfaces and abstract contracts. */
  bytecode: `0x${string}`;
}

interface SolcMessage {
  severity: 'error' | 'warning' | 'info';
  formattedMessage?: string;
  message: string;
}

interface SolcOutput {
  errors?: SolcMessage[];
  contracts?: Record<string, Record<string, { abi: Abi; evm: { bytecode: { object: string } } }>>;
}

/** The newest EVM version both this solc and the node (Prague) support. */
export function solcEvmVersion(version: string = solc.version()): 'prague' | 'cancun' {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  const [major, minor, patch] = match === null ? [0, 0, 0] : match.slice(1).map(Number);
  // solc 0.8.30 made Prague the default; later versions default to Osaka, which the node does not run.
  return major === 0 && minor === 8 && (patch ?? 0) < 30 ? 'cancun' : 'prague';
}

const cache = new Map<string, Record<string, CompiledContract>>();

/**
 * Compiles `sources` (file name to source text) with the optimizer on; returns each contract by name.
 * Throws on any compile error, on two contracts with one name and on unlinked libraries.
 */
export function compileSolidity(sources: Record<string, string>): Record<string, CompiledContract> {
  const key = JSON.stringify(Object.entries(sources).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const hit = cache.get(key);
  if (hit !== undefined) return hit;

  const input = {
    language: 'Solidity',
    sources: Object.fromEntries(Object.entries(sources).map(([file, content]) => [file, { content }])),
    settings: {
      optimizer: { enabled: true, runs: 200 },
      evmVersion: solcEvmVersion(),
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as SolcOutput;
  const errors = (output.errors ?? [])
    .filter((e) => e.severity === 'error')
    .map((e) => e.formattedMessage ?? e.message);
  if (errors.length > 0) {
    throw new TestUtilsError(
      { code: 'SOLIDITY_COMPILE', errors },
      `Solidity compilation failed:\n${errors.join('\n')}`,
    );
  }

  const contracts: Record<string, CompiledContract> = {};
  for (const [file, byName] of Object.entries(output.contracts ?? {})) {
    for (const [name, artifact] of Object.entries(byName)) {
      const problems: string[] = [];
      if (contracts[name] !== undefined)
        problems.push(`contract name ${name} is used twice (again in ${file})`);
      const object = artifact.evm.bytecode.object;
      if (!/^([0-9a-fA-F]{2})*$/.test(object)) problems.push(`${file}:${name} needs library linking`);
      if (problems.length > 0)
        throw new TestUtilsError({ code: 'SOLIDITY_COMPILE', errors: problems }, problems.join('\n'));
      contracts[name] = { abi: artifact.abi, bytecode: `0x${object}` };
    }
  }
  cache.set(key, contracts);
  return contracts;
}

/** The shared test ERC-20 ({@link ERC20_SOURCE}), compiled once per process. */
export function compileTestToken(): CompiledContract {
  const token = compileSolidity({ [ERC20_FILE]: ERC20_SOURCE })[ERC20_CONTRACT_NAME];
  if (token === undefined) {
    const missing = `${ERC20_CONTRACT_NAME} missing from solc output`;
    throw new TestUtilsError({ code: 'SOLIDITY_COMPILE', errors: [missing] }, missing);
  }
  return token;
}

/**
 * The attribution precompiles' Solidity interfaces (packages/sdk/contracts),
 * file name to source, for compiling contracts that import them by `./IName.sol`.
 */
export function attributionInterfaceSources(): Record<string, string> {
  const dir = join(repoRoot(), 'packages', 'sdk', 'contracts');
  return Object.fromEntries(
    readdirSync(dir)
      .filter((file) => file.endsWith('.sol'))
      .sort()
      .map((file) => [file, readFileSync(join(dir, file), 'utf8')]),
  );
}
