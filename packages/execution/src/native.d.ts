// Types for the two native crypto packages, which ship none for ESM.
declare module 'keccak' {
  interface KeccakHash {
    update(data: Buffer | string): KeccakHash;
    digest(): Buffer;
  }
  export default function createKeccakHash(algorithm: 'keccak256'): KeccakHash;
}
