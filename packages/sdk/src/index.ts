// The SDK's public surface: ABIs and addresses, chains, typed actions, the operator's signer, errors.
export * from './abi.js';
export type {
  EnumInput,
  OpenLedgerPublicClient,
  OpenLedgerWalletClient,
  PageParameters,
  ReadOptions,
  TransactionOptions,
} from './actions/client.js';
export * from './actions/datanets.js';
export * from './actions/inferences.js';
export * from './actions/models.js';
export * from './actions/receipt.js';
export * from './actions/rewards.js';
export * from './actions/training.js';
export * from './addresses.js';
export * from './attribution.js';
export * from './chains.js';
export * from './eip712.js';
export * from './errors.js';
export * from './weights.js';
