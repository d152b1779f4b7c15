export * from './errors.js';
export * from './journal.js';
export * from './metrics.js';
export * from './producer.js';
export * from './txpool.js';
