// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IOpenLedgerErrors} from "./IOpenLedger.sol";

/// @title Datanets: curated datasets that many people contribute to.
/// @notice Precompile at OpenLedger.DATANETS. Ids start at 1.
interface IDatanets is IOpenLedgerErrors {
    /// policy: 0 open (contributions are accepted at once), 1 owner-approved (they wait for review).
    /// status: 0 active, 1 closed (no new contributions).
    struct Datanet {
        address owner;
        uint8 policy;
        uint8 status;
        uint64 contributionCount;
        uint64 acceptedCount;
        uint128 acceptedSize;
        bytes32 metadataHash;
        /// Training rewards per accepted byte, in wei, accumulated over completed training jobs.
        uint256 rewardPerByte;
        string uri;
    }

    /// status: 0 pending, 1 accepted, 2 rejected.
    struct Contribution {
        address contributor;
        uint8 status;
        uint64 datanetId;
        uint64 size;
        uint64 attributionCount;
        uint128 inferenceEarnings;
        bytes32 contentHash;
        /// The datanet's rewardPerByte when this contribution's training rewards were last settled.
        uint256 rewardPerByteSettled;
        string uri;
    }

    event DatanetCreated(uint256 indexed datanetId, address indexed owner, bytes32 metadataHash, string uri, uint8 policy);
    event DatanetStatusChanged(uint256 indexed datanetId, uint8 status);
    event ContributionSubmitted(
        uint256 indexed contributionId,
        uint256 indexed datanetId,
        address indexed contributor,
        bytes32 contentHash,
        uint64 size,
        string uri,
        uint8 status
    );
    event ContributionReviewed(uint256 indexed contributionId, uint256 indexed datanetId, uint8 status);

    error UnknownDatanet(uint256 datanetId);
    error UnknownContribution(uint256 contributionId);
    error NotDatanetOwner(uint256 datanetId, address caller);
    error DatanetClosed(uint256 datanetId);
    error InvalidPolicy(uint8 policy);
    error InvalidStatus(uint8 status);
    error NotPending(uint256 contributionId);
    error InvalidSize();

    function createDatanet(bytes32 metadataHash, string calldata uri, uint8 policy) external returns (uint256 datanetId);
    function contribute(uint256 datanetId, bytes32 contentHash, uint64 size, string calldata uri)
        external
        returns (uint256 contributionId);
    /// Owner only, for a pending contribution of an owner-approved datanet.
    function reviewContribution(uint256 contributionId, bool accept) external;
    function setDatanetStatus(uint256 datanetId, uint8 status) external;

    function getDatanet(uint256 datanetId) external view returns (Datanet memory);
    function getContribution(uint256 contributionId) external view returns (Contribution memory);
    function datanetCount() external view returns (uint256);
    function contributionCount() external view returns (uint256);
    /// Contribution ids of a datanet in submission order, at most 1,000 per page.
    function contributionsOf(uint256 datanetId, uint256 offset, uint256 limit) external view returns (uint256[] memory);
}
