// ABI coding for the precompiles with selectors computed once per ABI
// (viem's decodeFunctionData would hash every signature on every call).
import { bytesToHex, hexToBytes } from '@ethereumjs/util';
import {
  type Abi,
  type AbiEvent,
  type AbiFunction,
  decodeAbiParameters,
  encodeAbiParameters,
  type Hex,
  toEventSelector,
  toFunctionSelector,
} from 'viem';

type AbiError = Extract<Abi[number], { type: 'error' }>;

/** A call the precompile refuses: reverts with a Solidity custom error from its ABI. */
export class Revert extends Error {
  readonly errorName: string;
  readonly args: readonly unknown[];

  constructor(errorName: string, ...args: unknown[]) {
    super(errorName);
    this.name = 'Revert';
    this.errorName = errorName;
    this.args = args;
  }
}

export interface DecodedCall {
  fn: AbiFunction;
  args: readonly unknown[];
}

export class PrecompileCodec {
  private readonly functions = new Map<string, AbiFunction>();
  private readonly errors = new Map<string, { selector: Hex; item: AbiError }>();
  private readonly events = new Map<string, { topic: Uint8Array; item: AbiEvent }>();

  constructor(abi: Abi) {
    for (const item of abi) {
      if (item.type === 'function') this.functions.set(toFunctionSelector(item).slice(2), item);
      else if (item.type === 'error')
        this.errors.set(item.name, { selector: toFunctionSelector(item as never), item });
      else if (item.type === 'event')
        this.events.set(item.name, { topic: hexToBytes(toEventSelector(item)), item });
    }
  }

  functionNames(): string[] {
    return [...this.functions.values()].map((f) => f.name);
  }

  /** The function and its arguments; undefined when the selector is unknown or the arguments malformed. */
  decode(data: Uint8Array): DecodedCall | undefined {
    if (data.length < 4) return undefined;
    const fn = this.functions.get(bytesToHex(data.subarray(0, 4)).slice(2));
    if (fn === undefined) return undefined;
    try {
      return { fn, args: decodeAbiParameters(fn.inputs, data.subarray(4)) };
    } catch {
      return undefined;
    }
  }

  encodeResult(fn: AbiFunction, value: unknown): Uint8Array {
    if (fn.outputs.length === 0) return new Uint8Array();
    return hexToBytes(encodeAbiParameters(fn.outputs, [value]));
  }

  /** Whether `name` is an error of this ABI. */
  hasError(name: string): boolean {
    return this.errors.has(name);
  }

  encodeError(name: string, args: readonly unknown[]): Uint8Array {
    const error = this.errors.get(name);
    if (error === undefined) throw new Error(`no error ${name} in the precompile's ABI`);
    const body = encodeAbiParameters(error.item.inputs, args);
    return hexToBytes(`${error.selector}${body.slice(2)}` as Hex);
  }

  /** An event's topics and data: indexed arguments (value types only here) as topics. */
  encodeEvent(name: string, args: readonly unknown[]): { topics: Uint8Array[]; data: Uint8Array } {
    const event = this.events.get(name);
    if (event === undefined) throw new Error(`no event ${name} in the precompile's ABI`);
    const topics = [event.topic];
    const dataParams: AbiEvent['inputs'][number][] = [];
    const dataValues: unknown[] = [];
    event.item.inputs.forEach((input, i) => {
      if (input.indexed === true) topics.push(hexToBytes(encodeAbiParameters([input], [args[i]])));
      else {
        dataParams.push(input);
        dataValues.push(args[i]);
      }
    });
    return { topics, data: hexToBytes(encodeAbiParameters(dataParams, dataValues)) };
  }
}
