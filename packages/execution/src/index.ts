export * from './builder.js';
export * from './calls.js';
export * from './chain.js';
export * from './crypto.js';
export * from './errors.js';
export * from './genesis.js';
export * from './receipts.js';
export * from './vm.js';
