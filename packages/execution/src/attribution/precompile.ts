// What every attribution precompile shares: decoding the call, the frame's
// rules (no DELEGATECALL/CALLCODE, no writes under STATICCALL, no value to a
// function that is not payable), gas, logs, and the outcome as EthereumJS
// wants it. A Revert becomes a REVERT with the custom error as return data
// and the gas used so far; running out of gas spends it all, like the EVM.
import { EVMError, type ExecResult, type PrecompileInput } from '@ethereumjs/evm';
import type { Address } from '@ethereumjs/util';
import { openLedgerAbi } from '@openledger/sdk';
import { PrecompileCodec, Revert } from './codec.js';
import type { BlockInfo, Frame, OpenLedgerEVM } from './evm.js';
import { GAS_BASE, GAS_PER_INPUT_WORD, GAS_PER_OUTPUT_WORD, GasMeter, OutOfGas } from './gas.js';
import { MeteredStore } from './store.js';

/** Every precompile's errors, for one raised by code another precompile shares. */
const ALL_ERRORS = new PrecompileCodec(openLedgerAbi);

type Log = [address: Uint8Array, topics: Uint8Array[], data: Uint8Array];

/** What a precompile function sees of its call. */
export class CallContext {
  readonly self: Address;
  readonly frame: Frame;
  readonly block: BlockInfo;
  readonly chainId: bigint;
  readonly gas: GasMeter;
  readonly store: MeteredStore;
  readonly logs: Log[] = [];
  private readonly codec: PrecompileCodec;

  constructor(self: Address, frame: Frame, evm: OpenLedgerEVM, gas: GasMeter, codec: PrecompileCodec) {
    this.self = self;
    this.frame = frame;
    this.block = evm.currentBlock();
    this.chainId = evm.common.chainId();
    this.gas = gas;
    this.store = new MeteredStore(evm, gas);
    this.codec = codec;
  }

  get caller(): Address {
    return this.frame.caller;
  }

  get value(): bigint {
    return this.frame.value;
  }

  /** Emits an event of this precompile's ABI, priced as LOG. */
  emit(event: string, ...args: unknown[]): void {
    this.emitAs(this.self, this.codec, event, ...args);
  }

  /** Emits another precompile's event from its address (a model registered by a training job). */
  emitAs(address: Address, codec: PrecompileCodec, event: string, ...args: unknown[]): void {
    const { topics, data } = codec.encodeEvent(event, args);
    this.gas.log(topics.length, data.length);
    this.logs.push([address.bytes, topics, data]);
  }
}

export interface PrecompileMethod {
  /** Reads only: allowed under STATICCALL. */
  view?: boolean;
  payable?: boolean;
  run(ctx: CallContext, args: readonly unknown[]): Promise<unknown>;
}

export interface PrecompileDefinition {
  name: string;
  address: Address;
  codec: PrecompileCodec;
  methods: Record<string, PrecompileMethod>;
}

export type PrecompileFn = (input: PrecompileInput) => Promise<ExecResult>;

/** The EthereumJS precompile function for a definition. */
export function makePrecompile(def: PrecompileDefinition): PrecompileFn {
  const { codec } = def;
  for (const name of codec.functionNames()) {
    if (def.methods[name] === undefined) throw new Error(`${def.name}: no implementation of ${name}`);
  }
  return async (input) => {
    const evm = input._EVM as OpenLedgerEVM;
    const gas = new GasMeter(input.gasLimit);
    const frame = evm.currentFrame();
    const revert = (name: string, ...args: unknown[]): ExecResult => ({
      executionGasUsed: gas.used,
      // An error raised by code another precompile shares (Models' checks during a training
      // job's completion) is encoded with the ABI that declares it.
      returnValue: (codec.hasError(name) ? codec : ALL_ERRORS).encodeError(name, args),
      exceptionError: new EVMError(EVMError.errorMessages.REVERT),
    });
    try {
      gas.charge(GAS_BASE + GAS_PER_INPUT_WORD * BigInt(Math.ceil(input.data.length / 32)));
      if (frame === undefined) throw new Error('precompile called outside a message');
      if (!frame.codeAddress.equals(frame.to) || frame.delegatecall) return revert('DelegateCallNotAllowed');
      const call = codec.decode(input.data);
      if (call === undefined) return revert('InvalidCalldata');
      const method = def.methods[call.fn.name]!;
      if (frame.isStatic && method.view !== true) return revert('StaticCallNotAllowed');
      if (frame.value > 0n && method.payable !== true) return revert('NotPayable');
      const ctx = new CallContext(def.address, frame, evm, gas, codec);
      const result = await method.run(ctx, call.args);
      const returnValue = codec.encodeResult(call.fn, result);
      gas.charge(GAS_PER_OUTPUT_WORD * BigInt(Math.ceil(returnValue.length / 32)));
      return { executionGasUsed: gas.used, returnValue, logs: ctx.logs };
    } catch (err) {
      if (err instanceof Revert) return revert(err.errorName, ...err.args);
      if (err instanceof OutOfGas) {
        return {
          executionGasUsed: input.gasLimit,
          returnValue: new Uint8Array(),
          exceptionError: new EVMError(EVMError.errorMessages.OUT_OF_GAS),
        };
      }
      // Anything else is a fault in the precompile itself. It fails the call the same way on
      // every node (a revert without data, the state untouched) rather than escaping the EVM,
      // where the transaction could neither be included nor answered.
      return {
        executionGasUsed: gas.used,
        returnValue: new Uint8Array(),
        exceptionError: new EVMError(EVMError.errorMessages.REVERT),
      };
    }
  };
}
