// Where the attribution precompiles live: ASCII "OPEN" (0x4f50454e) and an
// index, far from Ethereum's precompiles and system contracts (EIP-1352
// reserves 0x0 to 0xffff), the RIPs (0x100...) and the OP Stack predeploys
// (0x4200...). One table; the node, the SDK and docs/attribution.md use it.
import type { Address } from 'viem';

export const PRECOMPILES = {
  datanets: '0x4F50454E00000000000000000000000000000001',
  models: '0x4f50454E00000000000000000000000000000002',
  inferences: '0x4F50454e00000000000000000000000000000003',
  training: '0x4f50454E00000000000000000000000000000004',
  rewards: '0x4F50454E00000000000000000000000000000005',
} as const satisfies Record<string, Address>;

export type PrecompileName = keyof typeof PRECOMPILES;

/** Credited with the protocol's share of every fee and with every rounding remainder. */
export const TREASURY: Address = '0x4f50454E000000000000000000000000000000Fe';

/** Bounds the precompiles enforce, per call. */
export const LIMITS = {
  /** Attributions in one inference. */
  maxAttributions: 256,
  /** Datanets one model or training job declares. */
  maxDatanets: 16,
  /** Bytes of a URI. */
  maxUriBytes: 512,
  /** Contributions settled in one call. */
  maxSettle: 256,
  /** Items in one page of a listing. */
  maxPage: 1_000,
  /** Sum of attribution (and datanet) weights: parts per million. */
  weightTotal: 1_000_000,
  /** Basis points of a fee split. */
  bpsTotal: 10_000,
  minProtocolBps: 100,
  maxProtocolBps: 1_000,
  minContributorsBps: 1_000,
} as const;

export const CONTRIBUTION_STATUS = { pending: 0, accepted: 1, rejected: 2 } as const;
export const DATANET_POLICY = { open: 0, ownerApproved: 1 } as const;
export const DATANET_STATUS = { active: 0, closed: 1 } as const;
export const MODEL_KIND = { model: 0, lora: 1 } as const;
export const MODEL_STATUS = { active: 0, retired: 1 } as const;
export const JOB_STATUS = { open: 0, accepted: 1, completed: 2, refunded: 3 } as const;
