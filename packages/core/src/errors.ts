// Typed errors shared by every package: a code union plus structured fields.

/** Base class for errors the node raises on purpose; `type.code` says which. */
export class NodeError<T extends { code: string }> extends Error {
  readonly type: T;

  constructor(type: T, message?: string) {
    super(message ?? type.code);
    this.type = type;
    this.name = new.target.name;
  }
}

export type ConfigErrorType =
  | { code: 'INVALID_OPTION'; option: string; value: string }
  | { code: 'INVALID_GENESIS'; reason: string }
  | { code: 'DATA_DIR_MISMATCH'; dataDir: string; expected: string; found: string };

/** Bad configuration: a flag, the genesis file, or a data dir made for another chain. */
export class ConfigError extends NodeError<ConfigErrorType> {}
