export * from './cache.js';
export * from './call.js';
export * from './chain-config.js';
export * from './errors.js';
export * from './genesis.js';
export * from './logger.js';
