// The Attribution typed data: the SDK's digest is EIP-712's (by viem and by hand), and signatures recover to the operator.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type Address,
  concat,
  encodeAbiParameters,
  type Hex,
  hashTypedData,
  keccak256,
  recoverTypedDataAddress,
  toHex,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { PRECOMPILES } from '../src/addresses.js';
import { buildAttributedInference, DEFAULT_ATTRIBUTION_TTL } from '../src/attribution.js';
import {
  type AttributionMessage,
  attributionDigest,
  attributionDomain,
  attributionTypes,
  signAttribution,
} from '../src/eip712.js';

const operator = privateKeyToAccount('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d');
const caller: Address = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';
const hash = (s: string) => keccak256(toHex(s));
const message: AttributionMessage = {
  modelId: 7n,
  caller,
  inputHash: hash('prompt'),
  outputHash: hash('answer'),
  contributionIds: [1n, 5n, 9n],
  weights: [500_000, 300_000, 200_000],
  nonce: 42n,
  deadline: 1_900_000_000n,
};

/** EIP-712 by hand, as the precompile (packages/execution/src/attribution/eip712.ts) computes it. */
function digestByHand(chainId: bigint, m: AttributionMessage): Hex {
  const typeHash = (s: string) => keccak256(toHex(s));
  const domain = keccak256(
    encodeAbiParameters(
      [
        { type: 'bytes32' },
        { type: 'bytes32' },
        { type: 'bytes32' },
        { type: 'uint256' },
        { type: 'address' },
      ],
      [
        typeHash('EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)'),
        typeHash('OpenLedger Attribution'),
        typeHash('1'),
        chainId,
        PRECOMPILES.inferences,
      ],
    ),
  );
  const words = (values: readonly bigint[]) =>
    keccak256(
      encodeAbiParameters(
        values.map(() => ({ type: 'uint256' })),
        values,
      ),
    );
  const struct = keccak256(
    encodeAbiParameters(
      [
        { type: 'bytes32' },
        { type: 'uint256' },
        { type: 'address' },
        { type: 'bytes32' },
        { type: 'bytes32' },
        { type: 'bytes32' },
        { type: 'bytes32' },
        { type: 'uint256' },
        { type: 'uint64' },
      ],
      [
        typeHash(
          'Attribution(uint256 modelId,address caller,bytes32 inputHash,bytes32 outputHash,uint256[] contributionIds,uint32[] weights,uint256 nonce,uint64 deadline)',
        ),
        m.modelId,
        m.caller,
        m.inputHash,
        m.outputHash,
        words(m.contributionIds),
        words(m.weights.map(BigInt)),
        m.nonce,
        m.deadline,
      ],
    ),
  );
  return keccak256(concat(['0x1901', domain, struct]));
}

describe('attribution typed data', () => {
  it('has the digest of viem hashTypedData and of EIP-712 by hand', () => {
    for (const chainId of [16120n, 1612n, 161201n]) {
      const viaViem = hashTypedData({
        domain: attributionDomain(chainId),
        types: attributionTypes,
        primaryType: 'Attribution',
        message,
      });
      assert.equal(attributionDigest(chainId, message), viaViem);
      assert.equal(attributionDigest(Number(chainId), message), digestByHand(chainId, message));
    }
    assert.notEqual(
      attributionDigest(16120, message),
      attributionDigest(1612, message),
      'bound to the chain',
    );
    assert.notEqual(
      attributionDigest(16120, message),
      attributionDigest(16120, { ...message, caller: operator.address }),
      'bound to the caller',
    );
  });

  it('signs so that the signature recovers to the operator', async () => {
    const signature = await signAttribution(operator, 16120, message);
    const recovered = await recoverTypedDataAddress({
      domain: attributionDomain(16120),
      types: attributionTypes,
      primaryType: 'Attribution',
      message,
      signature,
    });
    assert.equal(recovered, operator.address);
  });

  it('builds a signed request: ids ascending, a random 64-bit nonce, a deadline ten minutes out', async () => {
    const now = BigInt(Math.floor(Date.now() / 1000));
    const params = {
      operator,
      chainId: 16120,
      caller,
      modelId: 3n,
      inputHash: hash('in'),
      outputHash: hash('out'),
      attributions: [
        { id: 9n, weight: 200_000 },
        { id: 1n, weight: 500_000 },
        { id: 5n, weight: 300_000 },
      ],
    };
    const request = await buildAttributedInference(params);
    assert.deepEqual(request.contributionIds, [1n, 5n, 9n]);
    assert.deepEqual(request.weights, [500_000, 300_000, 200_000]);
    assert.ok(request.nonce >= 0n && request.nonce < 1n << 64n);
    assert.ok(request.deadline >= now + BigInt(DEFAULT_ATTRIBUTION_TTL));
    assert.ok(request.deadline <= now + BigInt(DEFAULT_ATTRIBUTION_TTL) + 2n);
    assert.equal('caller' in request, false, 'the caller is the sender, not a field');
    const { signature, ...fields } = request;
    const recovered = await recoverTypedDataAddress({
      domain: attributionDomain(16120),
      types: attributionTypes,
      primaryType: 'Attribution',
      message: { ...fields, caller },
      signature,
    });
    assert.equal(recovered, operator.address);
    const again = await buildAttributedInference(params);
    assert.notEqual(again.nonce, request.nonce, 'a fresh nonce each time');
    const fixed = await buildAttributedInference({ ...params, nonce: 5n, deadline: 99n });
    assert.deepEqual([fixed.nonce, fixed.deadline], [5n, 99n]);
  });
});
