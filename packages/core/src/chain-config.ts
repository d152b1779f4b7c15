// Chain parameters and the EthereumJS Common built from them.
import { Common, type CustomCrypto, Hardfork, Mainnet, type ParamsDict } from '@ethereumjs/common';

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

/**
 * A Common whose parameter sets can be merged once, up front. EthereumJS
 * merges its parameter sets again (a JSON deep copy and a cache rebuild) in
 * the constructor of every transaction and header, which costs more than
 * decoding the transaction; sets merged with `premerge` are skipped after.
 * Copies share the merged parameters, so they skip them too.
 */
export class ChainCommon extends Common {
  private premerged = new WeakSet<ParamsDict>();

  premerge(...sets: ParamsDict[]): void {
    for (const set of sets) {
      super.updateParams(set);
      this.premerged.add(set);
    }
  }

  override updateParams(params: ParamsDict): void {
    if (!this.premerged.has(params)) super.updateParams(params);
  }
}

/** A Common for this chain: Ethereum's rules at {@link HARDFORK} from genesis, under our chain id. */
export function createChainCommon(opts: ChainCommonOptions): ChainCommon {
  // Every fork up to HARDFORK is active from block 0, as on a fresh L2.
  const forks = Mainnet.hardforks.slice(0, Mainnet.hardforks.findIndex((h) => h.name === HARDFORK) + 1);
  const chain = {
    ...Mainnet,
    chainId: Number(opts.chainId),
    name: `openledger-${opts.chainId}`,
    hardforks: forks.map((h) => ({ name: h.name, block: 0 })),
  };
  return new ChainCommon(
    opts.customCrypto === undefined
      ? { chain, hardfork: HARDFORK }
      : { chain, hardfork: HARDFORK, customCrypto: opts.customCrypto },
  );
}
