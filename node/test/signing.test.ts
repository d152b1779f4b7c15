// The devnet signs for its dev accounts: eth_sign, personal_sign (viem's
// signMessage), eth_signTransaction, checked with viem's own recovery.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEV_ACCOUNTS, type DevnetHandle, startDevnet } from '@openledger/test-utils';
import {
  createWalletClient,
  type Hex,
  http,
  parseTransaction,
  recoverMessageAddress,
  recoverTransactionAddress,
  toHex,
} from 'viem';

import { devnetChain, rpcRequest } from './support/devnet-client.js';

describe('devnet signing', { timeout: 60_000 }, () => {
  let devnet: DevnetHandle;
  const who = DEV_ACCOUNTS[4]!.address;
  const rpc = (method: string, params: unknown[] = []) => rpcRequest(devnet.rpcUrl, method, params);

  before(async () => {
    devnet = await startDevnet({ blockTime: 0 });
  });

  after(async () => {
    await devnet?.stop();
  });

  it('eth_sign and personal_sign give an EIP-191 signature that recovers to the account', async () => {
    const message = 'hello OpenLedger';
    const signed = (await rpc('eth_sign', [who, toHex(message)])).result as Hex;
    assert.equal(await recoverMessageAddress({ message, signature: signed }), who);
    const chain = devnetChain(devnet.rpcUrl);
    // A JSON-RPC account: viem asks the node to sign (personal_sign).
    const wallet = createWalletClient({ account: who, chain, transport: http(devnet.rpcUrl) });
    const viaViem = await wallet.signMessage({ message });
    assert.equal(viaViem, signed);
  });

  it('eth_signTransaction fills and signs without sending', async () => {
    const out = (
      await rpc('eth_signTransaction', [{ from: who, to: DEV_ACCOUNTS[5]!.address, value: '0x5' }])
    ).result as {
      raw: Hex;
      tx: { hash: string; from: string; nonce: string };
    };
    assert.equal(await recoverTransactionAddress({ serializedTransaction: out.raw as never }), who);
    assert.equal(parseTransaction(out.raw).value, 5n);
    assert.equal(out.tx.from.toLowerCase(), who.toLowerCase());
    assert.equal((await rpc('eth_getTransactionCount', [who, 'pending'])).result, '0x0', 'nothing was sent');
    const hash = (await rpc('eth_sendRawTransaction', [out.raw])).result;
    assert.equal(hash, out.tx.hash);
  });

  it('refuses accounts it holds no key for', async () => {
    const stranger = '0x000000000000000000000000000000000000beef';
    assert.equal((await rpc('eth_sign', [stranger, '0x01'])).error?.code, -32000);
    assert.match(
      (await rpc('eth_signTransaction', [{ from: stranger, to: stranger }])).error?.message ?? '',
      /unknown account/,
    );
  });
});
