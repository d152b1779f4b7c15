// The chain definitions: the devnet's fixed endpoints and precompiles, public networks only with a caller's RPC URL.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PRECOMPILES } from '../src/addresses.js';
import { OPENLEDGER_CHAIN_ID, openLedgerChain, openLedgerDevnet } from '../src/chains.js';

describe('chains', () => {
  it('defines the devnet: 16120, OPEN, 127.0.0.1:8545 over HTTP and WebSocket, the precompiles', () => {
    assert.equal(openLedgerDevnet.id, 16120);
    assert.deepEqual(openLedgerDevnet.nativeCurrency, { name: 'OPEN', symbol: 'OPEN', decimals: 18 });
    assert.deepEqual(openLedgerDevnet.rpcUrls.default, {
      http: ['http://127.0.0.1:8545'],
      webSocket: ['ws://127.0.0.1:8545'],
    });
    assert.equal(openLedgerDevnet.contracts.inferences.address, PRECOMPILES.inferences);
    assert.equal(openLedgerDevnet.testnet, true);
  });

  it("builds OpenLedger's networks from the RPC URL it is given", () => {
    const mainnet = openLedgerChain({ id: OPENLEDGER_CHAIN_ID.mainnet, rpcUrl: 'https://rpc.example' });
    assert.deepEqual(
      [mainnet.id, mainnet.name, mainnet.testnet, mainnet.rpcUrls.default.http],
      [1612, 'OpenLedger', false, ['https://rpc.example']],
    );
    assert.equal(mainnet.contracts, undefined, 'no precompiles claimed for a public network');
    const testnet = openLedgerChain({
      id: OPENLEDGER_CHAIN_ID.testnet,
      rpcUrl: 'https://t.example',
      webSocketUrl: 'wss://t.example',
    });
    assert.deepEqual(
      [testnet.id, testnet.name, testnet.testnet, testnet.rpcUrls.default.webSocket],
      [161201, 'OpenLedger testnet', true, ['wss://t.example']],
    );
    assert.equal(openLedgerChain({ id: 777, rpcUrl: 'http://x' }).name, 'OpenLedger 777');
    assert.equal(openLedgerChain({ id: 777, rpcUrl: 'http://x', name: 'mine' }).name, 'mine');
  });
});
