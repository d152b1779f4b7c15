// Genesis: a geth-style genesis JSON (`--genesis`), and the devnet's generated one.

import { bytesToHex, hexToBytes, privateToAddress } from '@ethereumjs/util';
import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync, validateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { DEFAULT_BLOCK_GAS_LIMIT, INITIAL_BASE_FEE } from './chain-config.js';
import { ConfigError } from './errors.js';

export interface GenesisAccount {
  balance: bigint;
  nonce?: bigint;
  code?: Uint8Array;
  storage?: Map<bigint, bigint>;
}

export interface Genesis {
  chainId: bigint;
  /** `undefined`: the moment the chain is first created (a devnet). */
  timestamp: bigint | undefined;
  gasLimit: bigint;
  baseFeePerGas: bigint;
  extraData: Uint8Array;
  coinbase: string;
  /** Lower-case 0x addresses. */
  alloc: Map<string, GenesisAccount>;
}

export const DEV_MNEMONIC = 'test test test test test test test test test test test junk';
export const DEV_DERIVATION_PATH = "m/44'/60'/0'/0";
const ONE_OPEN = 10n ** 18n;

export interface DevAccount {
  address: string;
  privateKey: string;
}

/** The accounts m/44'/60'/0'/0/0..count-1 of a BIP-39 mnemonic, as every wallet derives them. */
export function deriveDevAccounts(mnemonic: string, count: number): DevAccount[] {
  if (!validateMnemonic(mnemonic, wordlist)) {
    throw new ConfigError(
      { code: 'INVALID_OPTION', option: 'mnemonic', value: '(hidden)' },
      'invalid BIP-39 mnemonic',
    );
  }
  const root = HDKey.fromMasterSeed(mnemonicToSeedSync(mnemonic));
  const accounts: DevAccount[] = [];
  for (let i = 0; i < count; i++) {
    const key = root.derive(`${DEV_DERIVATION_PATH}/${i}`).privateKey;
    if (key === null) throw new Error(`no private key at index ${i}`);
    accounts.push({ address: bytesToHex(privateToAddress(key)), privateKey: bytesToHex(key) });
  }
  return accounts;
}

export interface DevGenesisOptions {
  chainId: bigint;
  accounts: readonly DevAccount[];
  /** Balance of each dev account in OPEN (whole tokens). */
  balance: bigint;
}

export function createDevGenesis(opts: DevGenesisOptions): Genesis {
  const alloc = new Map<string, GenesisAccount>();
  for (const a of opts.accounts) alloc.set(a.address.toLowerCase(), { balance: opts.balance * ONE_OPEN });
  return {
    chainId: opts.chainId,
    timestamp: undefined,
    gasLimit: DEFAULT_BLOCK_GAS_LIMIT,
    baseFeePerGas: INITIAL_BASE_FEE,
    extraData: new Uint8Array(),
    coinbase: `0x${'00'.repeat(20)}`,
    alloc,
  };
}

function invalid(reason: string): never {
  throw new ConfigError({ code: 'INVALID_GENESIS', reason }, `invalid genesis: ${reason}`);
}

function quantity(value: unknown, field: string): bigint {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  if (typeof value === 'string' && /^(0x[0-9a-fA-F]+|[0-9]+)$/.test(value)) return BigInt(value);
  return invalid(`${field} must be a non-negative integer or hex quantity`);
}

function hexData(value: unknown, field: string): Uint8Array {
  if (typeof value !== 'string' || !/^0x([0-9a-fA-F]{2})*$/.test(value))
    return invalid(`${field} must be 0x-prefixed hex bytes`);
  return hexToBytes(value as `0x${string}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses a geth-style genesis JSON object (config.chainId, timestamp, gasLimit, alloc, ...). */
export function parseGenesis(input: unknown): Genesis {
  if (!isRecord(input)) return invalid('not a JSON object');
  // geth writes null for fields it leaves to defaults.
  const json = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null));
  const config = isRecord(json.config) ? json.config : invalid('missing "config" object');
  const alloc = new Map<string, GenesisAccount>();
  const rawAlloc = json.alloc ?? {};
  if (!isRecord(rawAlloc)) return invalid('"alloc" must be an object');
  for (const [key, raw] of Object.entries(rawAlloc)) {
    const address = (key.startsWith('0x') ? key : `0x${key}`).toLowerCase();
    if (!/^0x[0-9a-f]{40}$/.test(address)) invalid(`alloc key ${key} is not an address`);
    if (!isRecord(raw)) return invalid(`alloc ${key} must be an object`);
    const account: GenesisAccount = {
      balance: raw.balance === undefined ? 0n : quantity(raw.balance, `alloc ${key}.balance`),
    };
    if (raw.nonce !== undefined) account.nonce = quantity(raw.nonce, `alloc ${key}.nonce`);
    if (raw.code !== undefined) account.code = hexData(raw.code, `alloc ${key}.code`);
    if (raw.storage !== undefined) {
      if (!isRecord(raw.storage)) return invalid(`alloc ${key}.storage must be an object`);
      account.storage = new Map(
        Object.entries(raw.storage).map(([slot, value]) => [
          quantity(slot, 'storage slot'),
          quantity(value, 'storage value'),
        ]),
      );
    }
    alloc.set(address, account);
  }
  const coinbase = json.coinbase === undefined ? `0x${'00'.repeat(20)}` : String(json.coinbase).toLowerCase();
  if (!/^0x[0-9a-f]{40}$/.test(coinbase)) invalid('coinbase is not an address');
  return {
    chainId: quantity(config.chainId, 'config.chainId'),
    timestamp: json.timestamp === undefined ? 0n : quantity(json.timestamp, 'timestamp'),
    gasLimit: json.gasLimit === undefined ? DEFAULT_BLOCK_GAS_LIMIT : quantity(json.gasLimit, 'gasLimit'),
    baseFeePerGas:
      json.baseFeePerGas === undefined ? INITIAL_BASE_FEE : quantity(json.baseFeePerGas, 'baseFeePerGas'),
    extraData: json.extraData === undefined ? new Uint8Array() : hexData(json.extraData, 'extraData'),
    coinbase,
    alloc,
  };
}
