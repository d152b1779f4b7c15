// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IOpenLedgerErrors} from "./IOpenLedger.sol";

/// @title Inferences: each use of a model, its fee, and the contributions that shaped its output.
/// @notice Precompile at OpenLedger.INFERENCES. Ids start at 1.
/// The attributions are signed by the model's operator with EIP-712 typed data:
/// domain {name: "OpenLedger Attribution", version: "1", chainId, verifyingContract: INFERENCES},
/// Attribution(uint256 modelId,address caller,bytes32 inputHash,bytes32 outputHash,
///             uint256[] contributionIds,uint32[] weights,uint256 nonce,uint64 deadline).
/// The fee (msg.value, at least the model's price) is split: owner and protocol by the
/// model's basis points, contributors by weight; remainders go to the treasury.
interface IInferences is IOpenLedgerErrors {
    struct InferenceRequest {
        uint256 modelId;
        bytes32 inputHash;
        bytes32 outputHash;
        /// Strictly ascending (so no duplicates), at most 256; each accepted, in a datanet the model declared.
        uint256[] contributionIds;
        /// Parts per million, each > 0, summing to exactly 1,000,000.
        uint32[] weights;
        /// One use per operator.
        uint256 nonce;
        /// Unix time after which the signature is refused.
        uint64 deadline;
        bytes signature;
    }

    struct Inference {
        address caller;
        uint64 modelId;
        uint128 fee;
        uint64 blockNumber;
        uint64 timestamp;
        bytes32 inputHash;
        bytes32 outputHash;
        uint64[] contributionIds;
        uint32[] weights;
    }

    event InferenceRecorded(
        uint256 indexed inferenceId,
        uint256 indexed modelId,
        address indexed caller,
        bytes32 inputHash,
        bytes32 outputHash,
        uint256 fee
    );
    event Attributed(
        uint256 indexed inferenceId, uint256 indexed contributionId, address indexed contributor, uint32 weight, uint256 amount
    );

    error UnknownModel(uint256 modelId);
    error ModelRetired(uint256 modelId);
    error UnknownInference(uint256 inferenceId);
    error InsufficientFee(uint256 required, uint256 paid);
    error NoAttributions();
    error LengthMismatch(uint256 contributions, uint256 weights);
    error ZeroWeight(uint256 contributionId);
    error WeightsDoNotSum(uint256 total);
    error ContributionsNotAscending(uint256 contributionId);
    error UnknownContribution(uint256 contributionId);
    error ContributionNotAccepted(uint256 contributionId);
    error DatanetNotDeclared(uint256 contributionId, uint256 datanetId);
    error SignatureExpired(uint64 deadline);
    error NonceUsed(address operator, uint256 nonce);
    error InvalidSignature(address recovered, address operator);
    error FeeTooHigh(uint256 fee);

    function recordInference(InferenceRequest calldata request) external payable returns (uint256 inferenceId);

    function getInference(uint256 inferenceId) external view returns (Inference memory);
    function inferenceCount() external view returns (uint256);
    /// Inference ids that credited a contribution, in order, at most 1,000 per page.
    function attributionsOf(uint256 contributionId, uint256 offset, uint256 limit) external view returns (uint256[] memory);
    function nonceUsed(address operator, uint256 nonce) external view returns (bool);
    function domainSeparator() external view returns (bytes32);
}
