// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title OpenLedger Proof of Attribution: the precompiles' addresses and shared errors.
/// @notice The attribution graph is kept by native precompiles at fixed
/// addresses (ASCII "OPEN" followed by an index), outside every range that
/// Ethereum (EIP-1352: 0x0 to 0xffff), the RIPs or the OP Stack predeploys use.
/// Each keeps its records in its own account's storage, under the state root.
library OpenLedger {
    address internal constant DATANETS = 0x4F50454E00000000000000000000000000000001;
    address internal constant MODELS = 0x4f50454E00000000000000000000000000000002;
    address internal constant INFERENCES = 0x4F50454e00000000000000000000000000000003;
    address internal constant TRAINING = 0x4f50454E00000000000000000000000000000004;
    address internal constant REWARDS = 0x4F50454E00000000000000000000000000000005;
    /// The protocol treasury: protocol fees and every rounding remainder are credited to it.
    address internal constant TREASURY = 0x4f50454E000000000000000000000000000000Fe;
}

/// @notice Errors every attribution precompile may return.
interface IOpenLedgerErrors {
    /// The calldata is not a known function with well-formed ABI arguments.
    error InvalidCalldata();
    /// A function that writes was reached through STATICCALL.
    error StaticCallNotAllowed();
    /// Reached through DELEGATECALL or CALLCODE: records live in the precompile's own storage only.
    error DelegateCallNotAllowed();
    /// Value was sent to a function that is not payable.
    error NotPayable();
    /// A string argument is longer than the precompile stores.
    error StringTooLong(uint256 length, uint256 max);
    /// A list argument has more items than one call may handle.
    error TooManyItems(uint256 count, uint256 max);
}
