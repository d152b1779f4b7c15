// eth_simulateV1's traceTransfers: value moved by calls, creations and
// SELFDESTRUCT, as ERC-7528 Transfer logs among the call's own.
import type { EVM, EVMResult, InterpreterStep, Message } from '@ethereumjs/evm';
import { bigIntToBytes, createAddressFromBigInt, hexToBytes, setLengthLeft } from '@ethereumjs/util';
import type { RunTxResult } from '@ethereumjs/vm';
import type { Log } from './receipts.js';

/** ERC-7528's address standing for ether, and ERC-20's Transfer(address,address,uint256) topic. */
export const ETHER_ADDRESS = hexToBytes('0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee');
export const TRANSFER_TOPIC = hexToBytes(
  '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef',
);
export const LOG0 = 0xa0;
export const LOG4 = 0xa4;
export const SELFDESTRUCT = 0xff;

export function transferLog(from: Uint8Array, to: Uint8Array, value: bigint): Log {
  return [
    ETHER_ADDRESS,
    [TRANSFER_TOPIC, setLengthLeft(from, 32), setLengthLeft(to, 32)],
    setLengthLeft(bigIntToBytes(value), 32),
  ];
}

/** A frame's logs in order: transfers, and a mark where the EVM logged (its logs are filled in after). */
export interface Frame {
  entries: (Log | 'logged')[];
  /** The transfer into a contract being created, whose address is known once it exists. */
  creation: Log | undefined;
}

/**
 * `traceTransfers`: every transfer of ether (a call or creation with value,
 * a SELFDESTRUCT's balance) as an ERC-20 Transfer log from ERC-7528's ether
 * address, among the call's real logs in the order they happened. A frame
 * that fails takes its transfers with it, as it does its logs.
 */
export class TransferTracer {
  private readonly evm: EVM;
  private frames: Frame[] = [];
  private finished: (Log | 'logged')[] = [];
  private readonly onMessage = (message: Message) => {
    const frame: Frame = { entries: [], creation: undefined };
    if (message.value > 0n && !message.delegatecall) {
      const log = transferLog(message.caller.bytes, message.to?.bytes ?? new Uint8Array(20), message.value);
      frame.entries.push(log);
      if (message.to === undefined) frame.creation = log;
    }
    this.frames.push(frame);
  };
  private readonly onResult = (result: EVMResult) => {
    const frame = this.frames.pop();
    if (frame === undefined) return;
    if (frame.creation !== undefined && result.createdAddress !== undefined)
      frame.creation[1][2] = setLengthLeft(result.createdAddress.bytes, 32);
    const kept = result.execResult.exceptionError === undefined ? frame.entries : [];
    const parent = this.frames[this.frames.length - 1];
    if (parent === undefined) this.finished = kept;
    else parent.entries.push(...kept);
  };
  private readonly onStep = (step: InterpreterStep) => {
    const frame = this.frames[this.frames.length - 1];
    const op = step.opcode.code;
    if (frame === undefined) return;
    if (op >= LOG0 && op <= LOG4) frame.entries.push('logged');
    else if (op === SELFDESTRUCT) {
      const beneficiary = createAddressFromBigInt(step.stack[step.stack.length - 1] ?? 0n);
      // What EthereumJS moves: the balance the frame started with, unless it goes back to itself.
      if (step.account.balance > 0n && !beneficiary.equals(step.address))
        frame.entries.push(transferLog(step.address.bytes, beneficiary.bytes, step.account.balance));
    }
  };

  constructor(evm: EVM) {
    this.evm = evm;
    evm.events.on('beforeMessage', this.onMessage);
    evm.events.on('afterMessage', this.onResult);
    evm.events.on('step', this.onStep);
  }

  detach(): void {
    this.evm.events.off('beforeMessage', this.onMessage);
    this.evm.events.off('afterMessage', this.onResult);
    this.evm.events.off('step', this.onStep);
  }

  reset(): void {
    this.frames = [];
    this.finished = [];
  }

  /** The call's logs with its transfers: the EVM's own logs go where it logged them. */
  logs(result: RunTxResult): Log[] {
    const emitted = result.execResult.logs ?? [];
    const out: Log[] = [];
    let next = 0;
    for (const entry of this.finished) {
      if (entry !== 'logged') out.push(entry);
      else if (next < emitted.length) out.push(emitted[next++]!);
    }
    out.push(...emitted.slice(next));
    return out;
  }
}
