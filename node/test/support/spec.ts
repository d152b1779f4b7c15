// The execution-apis OpenRPC document (test/fixtures, CC0) as result-schema validators.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';

interface OpenRpcMethod {
  name: string;
  result: { schema: object };
}

const spec = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/execution-apis/openrpc.json', import.meta.url), 'utf8'),
) as {
  methods: OpenRpcMethod[];
};
const ajv = new Ajv({ strict: false, allErrors: true });
const validators = new Map<string, ValidateFunction>(
  spec.methods.map((m) => [m.name, ajv.compile(m.result.schema)]),
);

export const specMethods: readonly string[] = spec.methods.map((m) => m.name);

export function inSpec(method: string): boolean {
  return validators.has(method);
}

/** Asserts that `result` matches the spec's result schema for `method`. */
export function assertConforms(method: string, params: unknown, result: unknown): void {
  const validate = validators.get(method);
  assert.ok(validate, `${method} is in the spec`);
  assert.ok(
    validate(result),
    `${method}(${JSON.stringify(params)}) does not match its schema:\n${ajv.errorsText(validate.errors)}\n${JSON.stringify(result, null, 1).slice(0, 3000)}`,
  );
}
