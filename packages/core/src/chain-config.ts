// Chain parameters and the EthereumJS Common built from them.
import { type Common, type CustomCrypto, createCustomCommon, Hardfork, Mainnet } from '@ethereumjs/common';

/** The devnet's own chain id; 1612 and 161201 belong to OpenLedger's public networks. */
export const DEVNET_CHAIN_ID = 16120n;
/** Newest hardfork EthereumJS 10.1 fully supports. */
export const HARDFORK = Hardfork.Prague;
export const DEFAULT_BLOCK_GAS_LIMIT = 30_000_000n;
/** Base fee of the genesis block (EIP-1559's initial value, 1 gwei). */
export const INITIAL_BASE_FEE = 1_000_000_000n;

/** OPEN, the native currency, for wallets (EIP-3085 style). */
export const NATIVE_CURRENCY = { name: 'OPEN', symbol: 'OPEN', decimals: 18 } as const;

export interface ChainCommonOptions {
  chainId: bigint;
  customCrypto?: CustomCrypto;
}

/** A Common for this chain: Ethereum's rules at {@link HARDFORK} from genesis, under our chain id. */
export function createChainCommon(opts: ChainCommonOptions): Common {
  // Every fork up to HARDFORK is active from block 0, as on a fresh L2.
  const forks = Mainnet.hardforks.slice(0, Mainnet.hardforks.findIndex((h) => h.name === HARDFORK) + 1);
  return createCustomCommon(
    {
      chainId: Number(opts.chainId),
      name: `openledger-${opts.chainId}`,
      hardforks: forks.map((h) => ({ name: h.name, block: 0 })),
    },
    Mainnet,
    opts.customCrypto === undefined
      ? { hardfork: HARDFORK }
      : { hardfork: HARDFORK, customCrypto: opts.customCrypto },
  );
}
