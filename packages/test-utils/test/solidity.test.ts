import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeDeployData, encodeFunctionData, toFunctionSelector } from 'viem';
import { ERC20_CONTRACT_NAME, ERC20_FILE, ERC20_SOURCE } from '../src/erc20.js';
import { TestUtilsError } from '../src/errors.js';
import { compileSolidity, solcEvmVersion } from '../src/solidity.js';

describe('compileSolidity', () => {
  it('compiles the ERC-20 with the expected interface', () => {
    const out = compileSolidity({ [ERC20_FILE]: ERC20_SOURCE });
    const token = out[ERC20_CONTRACT_NAME];
    assert.ok(token, 'TestToken in output');
    assert.match(token.bytecode, /^0x([0-9a-f]{2})+$/);
    const names = token.abi.map((item) => ('name' in item ? `${item.type}:${item.name}` : item.type)).sort();
    for (const expected of [
      'constructor',
      'error:InsufficientAllowance',
      'error:InsufficientBalance',
      'event:Approval',
      'event:Transfer',
      'function:allowance',
      'function:approve',
      'function:balanceOf',
      'function:decimals',
      'function:name',
      'function:symbol',
      'function:totalSupply',
      'function:transfer',
      'function:transferFrom',
    ]) {
      assert.ok(names.includes(expected), `${expected} in ABI`);
    }
    // The ABI is usable by viem as is.
    encodeDeployData({ abi: token.abi, bytecode: token.bytecode, args: ['Token', 'TKN', 10n ** 24n] });
    const data = encodeFunctionData({
      abi: token.abi,
      functionName: 'transfer',
      args: ['0x0000000000000000000000000000000000000001', 1n],
    });
    assert.equal(data.slice(0, 10), toFunctionSelector('transfer(address,uint256)'));
  });

  it('returns the cached result for the same input', () => {
    const a = compileSolidity({ [ERC20_FILE]: ERC20_SOURCE });
    const b = compileSolidity({ [ERC20_FILE]: ERC20_SOURCE });
    assert.equal(a, b);
  });

  it('compiles several files with imports between them', () => {
    const out = compileSolidity({
      'A.sol':
        '// SPDX-License-Identifier: MIT\npragma solidity ^0.8.0;\ninterface IA { function f() external view returns (uint256); }',
      'B.sol':
        '// SPDX-License-Identifier: MIT\npragma solidity ^0.8.0;\nimport "A.sol";\ncontract B is IA { function f() external pure returns (uint256) { return 7; } }',
    });
    assert.equal(out.IA?.bytecode, '0x');
    assert.match(out.B?.bytecode ?? '', /^0x([0-9a-f]{2})+$/);
  });

  it('throws a typed error with the compiler messages on bad source', () => {
    assert.throws(
      () =>
        compileSolidity({
          'Bad.sol': 'pragma solidity ^0.8.0; contract Bad { function f() { undefinedThing(); } }',
        }),
      (err: unknown) => {
        assert.ok(err instanceof TestUtilsError);
        assert.equal(err.detail.code, 'SOLIDITY_COMPILE');
        assert.match(err.message, /undefinedThing|Undeclared identifier/);
        return true;
      },
    );
  });

  it('targets an EVM the node runs (no Osaka opcodes)', () => {
    assert.equal(solcEvmVersion('0.8.37+commit.abc'), 'prague');
    assert.equal(solcEvmVersion('0.8.30+commit.abc'), 'prague');
    assert.equal(solcEvmVersion('0.8.26+commit.abc'), 'cancun');
  });
});
