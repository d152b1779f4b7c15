export * from './chain-store.js';
export * from './kv.js';
export * from './schema.js';
export * from './trie-db.js';
