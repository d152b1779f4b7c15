// Why the pool refused a transaction. Messages match geth's, which wallets
// and libraries parse (viem, ethers and cast map some of them to typed errors).
import { NodeError } from '@openledger/core';

export type TxPoolErrorType =
  | { code: 'OVERSIZED'; size: number; max: number }
  | { code: 'DECODE'; reason: string }
  | { code: 'UNSUPPORTED_TYPE'; type: number }
  | { code: 'INVALID_CHAIN_ID'; chainId: bigint | undefined }
  | { code: 'INVALID_SENDER'; reason: string }
  | { code: 'GAS_LIMIT'; gasLimit: bigint; blockGasLimit: bigint }
  | { code: 'INTRINSIC_GAS'; gasLimit: bigint; required: bigint }
  | { code: 'FEE_CAP_TOO_LOW'; maxFeePerGas: bigint; baseFee: bigint }
  | { code: 'TIP_ABOVE_FEE_CAP' }
  | { code: 'NONCE_TOO_LOW'; nonce: bigint; stateNonce: bigint }
  | { code: 'NONCE_TOO_HIGH'; nonce: bigint; maxNonce: bigint }
  | { code: 'INSUFFICIENT_FUNDS'; cost: bigint; balance: bigint }
  | { code: 'ALREADY_KNOWN'; hash: string }
  | { code: 'REPLACEMENT_UNDERPRICED'; hash: string }
  | { code: 'POOL_FULL'; limit: number }
  | { code: 'ACCOUNT_FULL'; limit: number };

const messages: { [K in TxPoolErrorType['code']]: string } = {
  OVERSIZED: 'oversized data',
  DECODE: 'invalid transaction',
  UNSUPPORTED_TYPE: 'transaction type not supported',
  INVALID_CHAIN_ID: 'invalid chain id for signer',
  INVALID_SENDER: 'invalid sender',
  GAS_LIMIT: 'exceeds block gas limit',
  INTRINSIC_GAS: 'intrinsic gas too low',
  FEE_CAP_TOO_LOW: 'max fee per gas less than block base fee',
  TIP_ABOVE_FEE_CAP: 'max priority fee per gas higher than max fee per gas',
  NONCE_TOO_LOW: 'nonce too low',
  NONCE_TOO_HIGH: 'nonce too high',
  INSUFFICIENT_FUNDS: 'insufficient funds for gas * price + value',
  ALREADY_KNOWN: 'already known',
  REPLACEMENT_UNDERPRICED: 'replacement transaction underpriced',
  POOL_FULL: 'txpool is full',
  ACCOUNT_FULL: 'account limit exceeded: too many pending transactions from this sender',
};

export class TxPoolError extends NodeError<TxPoolErrorType> {
  constructor(type: TxPoolErrorType, detail?: string) {
    super(type, detail === undefined ? messages[type.code] : `${messages[type.code]}: ${detail}`);
  }
}
