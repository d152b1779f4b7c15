// VM construction: one VM on the head state for block building, and
// throw-away VMs on a past state for calls.
import type { Block } from '@ethereumjs/block';
import type { EVMMockBlockchainInterface } from '@ethereumjs/evm';

type EVMMockBlock = Awaited<ReturnType<EVMMockBlockchainInterface['getBlock']>>;

import type { Common, StateManagerInterface } from '@ethereumjs/common';
import { createVM, type VM } from '@ethereumjs/vm';
import { createOpenLedgerEVM } from './attribution/index.js';
import './interpreter-loop.js';
import './frames.js';
import './jump-cache.js';
import type { Chain } from './chain.js';
import { installSyncGas } from './sync-gas.js';
import { installWordOpcodes } from './word-opcodes.js';

/** BLOCKHASH's view of the chain: canonical blocks by number. */
class ChainBlockHashes implements EVMMockBlockchainInterface {
  private readonly chain: Chain;

  constructor(chain: Chain) {
    this.chain = chain;
  }

  async getBlock(number: number): Promise<EVMMockBlock> {
    const block = await this.chain.blockByNumber(BigInt(number));
    // The EVM only asks for the 256 blocks below the current one; a missing one hashes to zero.
    return block ?? { hash: () => new Uint8Array(32) };
  }

  async putBlock(): Promise<void> {}

  shallowCopy(): EVMMockBlockchainInterface {
    return this;
  }
}

/** A VM over `stateManager` with the node's EVM: the attribution precompiles installed. */
export async function createNodeVM(
  common: Common,
  stateManager: StateManagerInterface,
  blockchain: EVMMockBlockchainInterface,
): Promise<VM> {
  const evm = createOpenLedgerEVM({ common, stateManager, blockchain });
  installWordOpcodes(evm);
  installSyncGas(evm);
  return createVM({ common, stateManager, blockchain, evm });
}

/** The VM that builds blocks: it shares the chain's head state manager. */
export async function createHeadVM(chain: Chain): Promise<VM> {
  return createNodeVM(chain.common, chain.state, new ChainBlockHashes(chain));
}

/** A VM of its own over `block`'s state; what it changes is never written. */
export async function createVMAt(chain: Chain, block: Block): Promise<VM> {
  return createNodeVM(chain.common, await chain.stateAt(block), new ChainBlockHashes(chain));
}
