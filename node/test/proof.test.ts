// eth_getProof checked by an independent proof verifier against the block's
// state root: an account, its storage, and absent accounts and slots.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RLP } from '@ethereumjs/rlp';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { compileTestToken, DEV_ACCOUNTS, type DevnetHandle, startDevnet } from '@openledger/test-utils';
import {
  type Address,
  createPublicClient,
  createWalletClient,
  encodeAbiParameters,
  hexToBytes,
  http,
  toHex,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { devnetChain } from './support/devnet-client.js';
import { verifyMptProof } from './support/mpt-proof.js';

interface Proof {
  address: string;
  balance: string;
  nonce: string;
  codeHash: string;
  storageHash: string;
  accountProof: `0x${string}`[];
  storageProof: { key: string; value: string; proof: `0x${string}`[] }[];
}

const big = (bytes: Uint8Array) => (bytes.length === 0 ? 0n : BigInt(toHex(bytes)));

describe('eth_getProof', { timeout: 60_000 }, () => {
  let devnet: DevnetHandle;
  let token: Address;
  const alice = privateKeyToAccount(DEV_ACCOUNTS[0]!.privateKey);
  const rpc = async <T>(method: string, params: unknown[]): Promise<T> => {
    const res = await fetch(devnet.rpcUrl, {
      method: 'POST',
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    });
    const body = (await res.json()) as { result: T; error?: { message: string } };
    if (body.error !== undefined) throw new Error(body.error.message);
    return body.result;
  };

  before(async () => {
    devnet = await startDevnet({ blockTime: 0 });
    const chain = devnetChain(devnet.rpcUrl);
    const wallet = createWalletClient({ account: alice, chain, transport: http(devnet.rpcUrl) });
    const pub = createPublicClient({ chain, transport: http(devnet.rpcUrl) });
    const erc20 = compileTestToken();
    const hash = await wallet.deployContract({
      abi: erc20.abi,
      bytecode: erc20.bytecode,
      args: ['P', 'P', 12_345n],
    });
    token = (await pub.waitForTransactionReceipt({ hash })).contractAddress!;
  });

  after(async () => {
    await devnet?.stop();
  });

  const stateRoot = async (block = 'latest') =>
    hexToBytes((await rpc<{ stateRoot: `0x${string}` }>('eth_getBlockByNumber', [block, false])).stateRoot);

  it('proves an account: nonce, balance, storage root and code hash under the state root', async () => {
    const proof = await rpc<Proof>('eth_getProof', [alice.address, [], 'latest']);
    const leaf = verifyMptProof(
      await stateRoot(),
      hexToBytes(alice.address),
      proof.accountProof.map((p) => hexToBytes(p)),
    );
    assert.ok(leaf, 'the account exists');
    const [nonce, balance, storageRoot, codeHash] = RLP.decode(leaf) as Uint8Array[];
    assert.equal(big(nonce!), BigInt(proof.nonce));
    assert.equal(big(balance!), BigInt(proof.balance));
    assert.equal(toHex(storageRoot!), proof.storageHash);
    assert.equal(toHex(codeHash!), proof.codeHash);
    assert.equal(
      BigInt(proof.balance),
      BigInt(await rpc<string>('eth_getBalance', [alice.address, 'latest'])),
    );
  });

  it('proves a storage slot of a contract: the deployer balance in the token mapping', async () => {
    // The token's `balanceOf` mapping is its slot 3 (name, symbol, totalSupply, then balances), keyed by owner.
    const slot = toHex(
      keccak_256(
        hexToBytes(encodeAbiParameters([{ type: 'address' }, { type: 'uint256' }], [alice.address, 3n])),
      ),
    );
    const proof = await rpc<Proof>('eth_getProof', [token, [slot], 'latest']);
    const account = verifyMptProof(
      await stateRoot(),
      hexToBytes(token),
      proof.accountProof.map((p) => hexToBytes(p)),
    );
    const storageRoot = (RLP.decode(account!) as Uint8Array[])[2]!;
    assert.equal(toHex(storageRoot), proof.storageHash);
    const item = proof.storageProof[0]!;
    assert.equal(item.key, slot);
    const stored = verifyMptProof(
      storageRoot,
      hexToBytes(slot),
      item.proof.map((p) => hexToBytes(p)),
    );
    assert.equal(big(RLP.decode(stored!) as Uint8Array), 12_345n);
    assert.equal(BigInt(item.value), 12_345n);
  });

  it('proves absence: an account never touched and a slot never written', async () => {
    const nobody = '0x00000000000000000000000000000000deadbeef';
    const proof = await rpc<Proof>('eth_getProof', [nobody, ['0x1'], 'latest']);
    assert.equal(
      verifyMptProof(
        await stateRoot(),
        hexToBytes(nobody),
        proof.accountProof.map((p) => hexToBytes(p)),
      ),
      undefined,
    );
    assert.equal(proof.balance, '0x0');
    assert.equal(proof.storageProof[0]?.value, '0x0');
    const empty = await rpc<Proof>('eth_getProof', [token, [`0x${'77'.repeat(32)}`], 'latest']);
    const storageRoot = hexToBytes(empty.storageHash as `0x${string}`);
    const item = empty.storageProof[0]!;
    assert.equal(
      verifyMptProof(
        storageRoot,
        hexToBytes(`0x${'77'.repeat(32)}`),
        item.proof.map((p) => hexToBytes(p)),
      ),
      undefined,
    );
    assert.equal(item.value, '0x0');
  });

  it('proves against an older block, and refuses a tampered proof', async () => {
    const proof = await rpc<Proof>('eth_getProof', [alice.address, [], '0x0']);
    const genesisRoot = await stateRoot('0x0');
    const leaf = verifyMptProof(
      genesisRoot,
      hexToBytes(alice.address),
      proof.accountProof.map((p) => hexToBytes(p)),
    );
    assert.equal(big((RLP.decode(leaf!) as Uint8Array[])[0]!), 0n, 'nonce 0 at genesis');
    const tampered = proof.accountProof.map((p) => hexToBytes(p));
    tampered[tampered.length - 1]![5]! ^= 1;
    assert.throws(() => verifyMptProof(genesisRoot, hexToBytes(alice.address), tampered), /does not hash/);
  });
});
