// Gas for the attribution precompiles: each call pays for what it does, priced
// as the EVM prices the same work (EIP-2929 cold/warm access, EIP-2200 stores
// without refunds, LOG costs, ecrecover), so that a precompile never costs less
// than the storage and logs an equivalent Solidity contract would pay for.

/** Entering a precompile and dispatching on the selector. */
export const GAS_BASE = 200n;
/** Decoding the ABI arguments, per 32-byte word of calldata (Solidity's calldata copy and checks). */
export const GAS_PER_INPUT_WORD = 6n;
export const GAS_COLD_SLOAD = 2_100n;
export const GAS_WARM_ACCESS = 100n;
/** A slot written from zero (EIP-2200 SSTORE_SET). */
export const GAS_SSTORE_SET = 20_000n;
/** A slot changed from one non-zero value (EIP-2929 SSTORE_RESET). */
export const GAS_SSTORE_RESET = 2_900n;
export const GAS_LOG = 375n;
export const GAS_LOG_TOPIC = 375n;
export const GAS_LOG_BYTE = 8n;
/** The ecrecover precompile's price. */
export const GAS_ECRECOVER = 3_000n;
export const GAS_KECCAK = 30n;
export const GAS_KECCAK_WORD = 6n;
/** A value transfer to an account (CALL with value), and touching it cold. */
export const GAS_VALUE_TRANSFER = 9_000n;
export const GAS_COLD_ACCOUNT = 2_600n;
/** Output, per 32-byte word (memory for the return data). */
export const GAS_PER_OUTPUT_WORD = 3n;

/** Out of gas: the call fails and its gas is spent, as an EVM out-of-gas. */
export class OutOfGas extends Error {
  constructor() {
    super('out of gas');
    this.name = 'OutOfGas';
  }
}

export class GasMeter {
  readonly limit: bigint;
  private spent = 0n;

  constructor(limit: bigint) {
    this.limit = limit;
  }

  get used(): bigint {
    return this.spent;
  }

  charge(amount: bigint): void {
    this.spent += amount;
    if (this.spent > this.limit) throw new OutOfGas();
  }

  keccak(bytes: number): void {
    this.charge(GAS_KECCAK + GAS_KECCAK_WORD * BigInt(Math.ceil(bytes / 32)));
  }

  log(topics: number, dataBytes: number): void {
    this.charge(GAS_LOG + GAS_LOG_TOPIC * BigInt(topics) + GAS_LOG_BYTE * BigInt(dataBytes));
  }
}
