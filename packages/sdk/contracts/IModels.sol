// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IOpenLedgerErrors} from "./IOpenLedger.sol";

/// @title Models: ModelFactory models and OpenLoRA adapters, with the datanets they learned from.
/// @notice Precompile at OpenLedger.MODELS. Ids start at 1.
/// The fee split is in basis points and sums to 10,000, with
/// 100 <= protocolBps <= 1,000 and contributorsBps >= 1,000.
interface IModels is IOpenLedgerErrors {
    /// kind: 0 model, 1 LoRA adapter (its parent is the base model). status: 0 active, 1 retired.
    struct ModelParams {
        uint256 parentId;
        uint8 kind;
        bytes32 recipeHash;
        string uri;
        /// Ascending, at most 16; weights in parts per million summing to 1,000,000.
        uint256[] datanetIds;
        uint32[] datanetWeights;
        /// Fee of one inference, in wei of OPEN.
        uint256 price;
        uint16 ownerBps;
        uint16 contributorsBps;
        uint16 protocolBps;
        /// Signs each inference's attributions (EIP-712).
        address operator;
    }

    struct Model {
        address owner;
        uint8 kind;
        uint8 status;
        uint16 ownerBps;
        uint16 contributorsBps;
        uint16 protocolBps;
        address operator;
        uint64 parentId;
        uint128 price;
        uint64 inferenceCount;
        uint64 trainingJobId;
        bytes32 recipeHash;
        string uri;
        uint64[] datanetIds;
        uint32[] datanetWeights;
    }

    event ModelRegistered(
        uint256 indexed modelId,
        address indexed owner,
        uint256 indexed parentId,
        uint8 kind,
        bytes32 recipeHash,
        string uri,
        uint256 price,
        address operator
    );
    event ModelUpdated(uint256 indexed modelId, uint256 price, address operator, uint8 status);

    error UnknownModel(uint256 modelId);
    error NotModelOwner(uint256 modelId, address caller);
    error InvalidKind(uint8 kind);
    error InvalidParent(uint256 parentId);
    error InvalidSplit(uint16 ownerBps, uint16 contributorsBps, uint16 protocolBps);
    error InvalidDatanetWeights();
    error ZeroOperator();
    error InvalidStatus(uint8 status);
    error PriceTooHigh(uint256 price);

    function registerModel(ModelParams calldata params) external returns (uint256 modelId);
    function setPrice(uint256 modelId, uint256 price) external;
    function setOperator(uint256 modelId, address operator) external;
    function setModelStatus(uint256 modelId, uint8 status) external;

    function getModel(uint256 modelId) external view returns (Model memory);
    function modelCount() external view returns (uint256);
    /// Inference ids of a model in order, at most 1,000 per page.
    function inferencesOf(uint256 modelId, uint256 offset, uint256 limit) external view returns (uint256[] memory);
}
