export * from './errors.js';
export * from './producer.js';
export * from './txpool.js';
