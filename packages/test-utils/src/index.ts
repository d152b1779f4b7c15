// Shared helpers for tests: processes (devnet, anvil, cast), Solidity compilation and dev accounts.
export { type AnvilHandle, type AnvilOptions, startAnvil } from './anvil.js';
export { DEV_ACCOUNTS, DEV_MNEMONIC, type DevAccount } from './dev-accounts.js';
export { type DevnetHandle, type DevnetOptions, devnetCliPath, startDevnet } from './devnet.js';
export { ERC20_CONTRACT_NAME, ERC20_FILE, ERC20_SOURCE } from './erc20.js';
export { TestUtilsError, type TestUtilsErrorDetail } from './errors.js';
export { anvilBin, castBin, type FoundryTool, foundryBin, foundryPackageName } from './foundry-bin.js';
export { freePort } from './free-port.js';
export { repoRoot } from './repo-root.js';
export { tryChainId } from './rpc-ready.js';
export {
  attributionInterfaceSources,
  type CompiledContract,
  compileSolidity,
  compileTestToken,
  solcEvmVersion,
} from './solidity.js';
