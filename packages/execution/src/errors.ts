// Errors of the execution layer.
import { NodeError } from '@openledger/core';

export type ExecutionErrorType =
  | { code: 'UNKNOWN_BLOCK'; block: string }
  | { code: 'STATE_UNAVAILABLE'; block: string }
  | { code: 'CORRUPT_DATABASE'; reason: string };

export class ExecutionError extends NodeError<ExecutionErrorType> {}
