// The EVM with the call frames in view. EthereumJS hands a precompile only
// its input bytes and gas; the attribution precompiles also need who called,
// with what value, whether the call is static and whether it was a
// DELEGATECALL/CALLCODE. This subclass keeps the stack of messages being
// executed, so the running precompile reads its own frame: the top one.
import { EVM, type EVMOpts, type EVMResult, type Message } from '@ethereumjs/evm';
import type { Address } from '@ethereumjs/util';

export interface Frame {
  caller: Address;
  /** The account whose storage and balance the call runs on. */
  to: Address;
  /** The account whose code runs: the precompile's address when called directly. */
  codeAddress: Address;
  value: bigint;
  isStatic: boolean;
  delegatecall: boolean;
}

type MessageWithTo = Message & { to: Address };

/** The block values the attribution records carry. */
export interface BlockInfo {
  number: bigint;
  timestamp: bigint;
}

export class OpenLedgerEVM extends EVM {
  private readonly frames: MessageWithTo[] = [];

  constructor(opts: EVMOpts) {
    super(opts);
  }

  /** The message being executed (the innermost call). */
  currentFrame(): Frame | undefined {
    return this.frames[this.frames.length - 1];
  }

  /** The block the current transaction or call runs in. */
  currentBlock(): BlockInfo {
    const header = this._block?.header;
    return { number: header?.number ?? 0n, timestamp: header?.timestamp ?? 0n };
  }

  protected override async _executeCall(message: MessageWithTo): Promise<EVMResult> {
    this.frames.push(message);
    try {
      return await super._executeCall(message);
    } finally {
      this.frames.pop();
    }
  }
}
