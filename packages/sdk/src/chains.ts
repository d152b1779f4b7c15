// viem chain definitions: the local devnet, and OpenLedger's networks built from an RPC URL the caller gives.
import { type Chain, defineChain } from 'viem';
import { PRECOMPILES } from './addresses.js';

/** Chain ids: the devnet's own, and OpenLedger's public networks. */
export const OPENLEDGER_CHAIN_ID = {
  mainnet: 1612,
  testnet: 161201,
  devnet: 16120,
} as const;

/** OPEN, the native gas token. */
export const OPEN_CURRENCY = { name: 'OPEN', symbol: 'OPEN', decimals: 18 } as const;

const NAMES: Record<number, string> = {
  [OPENLEDGER_CHAIN_ID.mainnet]: 'OpenLedger',
  [OPENLEDGER_CHAIN_ID.testnet]: 'OpenLedger testnet',
  [OPENLEDGER_CHAIN_ID.devnet]: 'OpenLedger devnet',
};

const devnet = {
  id: OPENLEDGER_CHAIN_ID.devnet,
  name: 'OpenLedger devnet',
  nativeCurrency: OPEN_CURRENCY,
  rpcUrls: {
    default: { http: ['http://127.0.0.1:8545'], webSocket: ['ws://127.0.0.1:8545'] },
  },
  contracts: {
    datanets: { address: PRECOMPILES.datanets },
    models: { address: PRECOMPILES.models },
    inferences: { address: PRECOMPILES.inferences },
    training: { address: PRECOMPILES.training },
    rewards: { address: PRECOMPILES.rewards },
  },
  testnet: true,
} as const satisfies Chain;

/**
 * The devnet of this repository (`npm start`): chain id 16120, JSON-RPC over
 * HTTP and WebSocket on 127.0.0.1:8545, the attribution precompiles under
 * `contracts`. For another port, give the transport its URL (`http(url)`).
 */
export const openLedgerDevnet: Chain & typeof devnet = defineChain(devnet);

export interface OpenLedgerChainParameters {
  /** {@link OPENLEDGER_CHAIN_ID}`.mainnet` or `.testnet`, or the id a devnet was started with (`--chain-id`). */
  id: number;
  /** The JSON-RPC endpoint over HTTP(S). Required: this SDK ships no public endpoint. */
  rpcUrl: string;
  /** A WebSocket endpoint, for subscriptions. */
  webSocketUrl?: string;
  /** Defaults to "OpenLedger", "OpenLedger testnet", "OpenLedger devnet" or "OpenLedger <id>". */
  name?: string;
}

/**
 * A chain on one of OpenLedger's networks, reached through `rpcUrl`.
 *
 * The SDK does not list public RPC endpoints: it cannot vouch for them, so
 * the caller names the one it trusts. Nor does the chain list the attribution
 * precompiles under `contracts`: they exist where a node of this repository
 * runs. The actions address {@link PRECOMPILES} whatever the chain.
 */
export function openLedgerChain(params: OpenLedgerChainParameters): Chain {
  const { id, rpcUrl, webSocketUrl } = params;
  return defineChain({
    id,
    name: params.name ?? NAMES[id] ?? `OpenLedger ${id}`,
    nativeCurrency: OPEN_CURRENCY,
    rpcUrls: {
      default:
        webSocketUrl === undefined ? { http: [rpcUrl] } : { http: [rpcUrl], webSocket: [webSocketUrl] },
    },
    testnet: id !== OPENLEDGER_CHAIN_ID.mainnet,
  });
}
