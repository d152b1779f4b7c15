// The client version string (web3_clientVersion), geth's shape: name/version/os-arch/runtime.
export const VERSION = '0.1.0';
export const CLIENT_VERSION = `OpenLedger/v${VERSION}/${process.platform}-${process.arch}/node${process.versions.node}`;
