export * from './errors.js';
export * from './journal.js';
export * from './producer.js';
export * from './txpool.js';
