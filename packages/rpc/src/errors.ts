// JSON-RPC errors (EIP-1474 codes) and the one function that maps whatever a
// handler threw onto them.
import { bytesToHex } from '@ethereumjs/util';
import { NodeError, type SimulationRejection } from '@openledger/core';

export class RpcError extends Error {
  readonly code: number;
  readonly data: unknown;

  constructor(code: number, message: string, data?: unknown) {
    super(message);
    this.code = code;
    this.data = data;
  }

  toJSON(): { code: number; message: string; data?: unknown } {
    return this.data === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, data: this.data };
  }
}

export class ParseError extends RpcError {
  static readonly code = -32700 as const;
  constructor(message = 'parse error') {
    super(ParseError.code, message);
  }
}

export class InvalidRequestError extends RpcError {
  static readonly code = -32600 as const;
  constructor(message = 'invalid request') {
    super(InvalidRequestError.code, message);
  }
}

export class MethodNotFoundError extends RpcError {
  static readonly code = -32601 as const;
  constructor(method: string) {
    super(MethodNotFoundError.code, `the method ${method} does not exist/is not available`);
  }
}

export class InvalidParamsError extends RpcError {
  static readonly code = -32602 as const;
  constructor(message: string) {
    super(InvalidParamsError.code, message);
  }
}

export class InternalError extends RpcError {
  static readonly code = -32603 as const;
  constructor(message = 'internal error') {
    super(InternalError.code, message);
  }
}

/** Server-side failures a client caused: invalid transaction, unknown filter, limits (geth's -32000). */
export class ServerError extends RpcError {
  static readonly code = -32000 as const;
  constructor(message: string, data?: unknown) {
    super(ServerError.code, message, data);
  }
}

/** A limit was exceeded (EIP-1474 -32005). */
export class LimitExceededError extends RpcError {
  static readonly code = -32005 as const;
  constructor(message: string) {
    super(LimitExceededError.code, message);
  }
}

/** The call reverted: code 3 with the revert data, as geth. */
export class ExecutionRevertedError extends RpcError {
  static readonly code = 3 as const;
  constructor(data: Uint8Array) {
    super(ExecutionRevertedError.code, revertMessage(data), bytesToHex(data));
  }
}

/** A call of eth_simulateV1 that halted (out of gas, invalid opcode, ...): in its result, not for the request. */
export class VmExecutionError extends RpcError {
  static readonly code = -32015 as const;
  constructor(reason: string) {
    super(VmExecutionError.code, `vm execution error: ${reason}`);
  }
}

/** eth_simulateV1's codes (execution-apis) for a request it refuses, by reason. */
const SIMULATION_CODES: Record<SimulationRejection, number> = {
  'nonce-too-low': -38010,
  'nonce-too-high': -38011,
  'fee-cap-too-low': -38012,
  'intrinsic-gas': -38013,
  'insufficient-funds': -38014,
  'block-gas-limit': -38015,
  'block-number-order': -38020,
  'block-timestamp-order': -38021,
  'precompile-self-reference': -38022,
  'precompile-moved-twice': -38023,
  'init-code-too-large': -38025,
  'limit-exceeded': -38026,
  'invalid-call': InvalidParamsError.code,
  'invalid-override': ServerError.code,
  'invalid-transaction': ServerError.code,
};

/** eth_simulateV1 refused the request: the spec's code for the reason. */
export class SimulationRejectedError extends RpcError {
  readonly reason: SimulationRejection;
  constructor(reason: SimulationRejection, message: string) {
    super(SIMULATION_CODES[reason], message);
    this.reason = reason;
  }
}

const ERROR_SELECTOR = '0x08c379a0';
const PANIC_SELECTOR = '0x4e487b71';

/** geth's message: "execution reverted" plus the decoded Error(string) or Panic(uint256), if any. */
function revertMessage(data: Uint8Array): string {
  const hex = bytesToHex(data);
  try {
    if (hex.startsWith(ERROR_SELECTOR) && data.length >= 4 + 64) {
      const view = data.subarray(4);
      const length = Number(BigInt(bytesToHex(view.subarray(32, 64))));
      if (length <= view.length - 64)
        return `execution reverted: ${new TextDecoder().decode(view.subarray(64, 64 + length))}`;
    }
    if (hex.startsWith(PANIC_SELECTOR) && data.length === 36) {
      return `execution reverted: panic: 0x${BigInt(bytesToHex(data.subarray(4))).toString(16)}`;
    }
  } catch {
    // fall through to the plain message
  }
  return 'execution reverted';
}

/**
 * Every error a handler throws becomes an RpcError here: typed node errors by
 * their code, anything unexpected as -32603 without internals.
 */
export function toRpcError(err: unknown): RpcError {
  if (err instanceof RpcError) return err;
  if (err instanceof NodeError) {
    const code = (err.type as { code: string }).code;
    switch (code) {
      case 'EXECUTION_REVERTED':
        return new ExecutionRevertedError((err.type as { data: Uint8Array }).data);
      case 'INVALID_OPTION':
        return new InvalidParamsError(err.message);
      case 'SIMULATION_REJECTED':
        return new SimulationRejectedError((err.type as { reason: SimulationRejection }).reason, err.message);
      default:
        // Pool rejections, invalid calls, gas allowance: the client's transaction is at fault.
        return new ServerError(err.message);
    }
  }
  return new InternalError();
}
