// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IOpenLedgerErrors} from "./IOpenLedger.sol";

/// @title Training: ModelFactory jobs on chain. A requester escrows an OPEN budget
/// to fine-tune a base model on chosen datanets; a trainer accepts and completes
/// the job by registering the resulting model or LoRA adapter.
/// @notice Precompile at OpenLedger.TRAINING. Ids start at 1.
/// Completion pays the trainer trainerBps of the budget, the datanets' contributors
/// contributorsBps (by datanet weight, then by accepted bytes within a datanet, claimed
/// through IRewards.settleContributions), and the protocol the rest (100 to 1,000 bps).
/// A job past its deadline, not completed, refunds the requester.
interface ITraining is IOpenLedgerErrors {
    struct TrainingRequest {
        uint256 baseModelId;
        /// 0 model, 1 LoRA adapter.
        uint8 kind;
        bytes32 recipeHash;
        uint256[] datanetIds;
        uint32[] datanetWeights;
        uint64 deadline;
        uint16 trainerBps;
        uint16 contributorsBps;
    }

    /// The resulting model's terms, set by the trainer on completion; the requester owns it.
    struct Completion {
        string uri;
        uint256 price;
        uint16 ownerBps;
        uint16 contributorsBps;
        uint16 protocolBps;
        address operator;
    }

    /// status: 0 open, 1 accepted, 2 completed, 3 refunded.
    struct TrainingJob {
        address requester;
        uint8 status;
        uint8 kind;
        uint16 trainerBps;
        uint16 contributorsBps;
        uint16 protocolBps;
        address trainer;
        uint64 deadline;
        uint128 budget;
        uint64 baseModelId;
        uint64 modelId;
        bytes32 recipeHash;
        uint64[] datanetIds;
        uint32[] datanetWeights;
    }

    event TrainingRequested(uint256 indexed jobId, address indexed requester, uint256 indexed baseModelId, uint256 budget, uint64 deadline);
    event TrainingAccepted(uint256 indexed jobId, address indexed trainer);
    event TrainingCompleted(
        uint256 indexed jobId,
        uint256 indexed modelId,
        address indexed trainer,
        uint256 trainerAmount,
        uint256 contributorsAmount,
        uint256 protocolAmount
    );
    event TrainingRefunded(uint256 indexed jobId, address indexed requester, uint256 amount);

    error UnknownJob(uint256 jobId);
    error ModelRetired(uint256 modelId);
    error UnknownModel(uint256 modelId);
    error NotRequester(uint256 jobId, address caller);
    error NotTrainer(uint256 jobId, address caller);
    error WrongJobStatus(uint256 jobId, uint8 status);
    error JobExpired(uint256 jobId, uint64 deadline);
    error JobNotExpired(uint256 jobId, uint64 deadline);
    error EmptyBudget();
    error BudgetTooLarge(uint256 budget);
    error DeadlineInPast(uint64 deadline);
    error InvalidSplit(uint16 trainerBps, uint16 contributorsBps, uint16 protocolBps);
    error InvalidKind(uint8 kind);
    error InvalidDatanetWeights();
    /// IModels' errors, reached when completeTraining registers the resulting model.
    error InvalidParent(uint256 parentId);
    error ZeroOperator();
    error PriceTooHigh(uint256 price);

    function requestTraining(TrainingRequest calldata request) external payable returns (uint256 jobId);
    function acceptTraining(uint256 jobId) external;
    function completeTraining(uint256 jobId, Completion calldata completion) external returns (uint256 modelId);
    /// Requester only, while the job is open.
    function cancelTraining(uint256 jobId) external;
    /// Anyone, after the deadline, for a job open or accepted.
    function refundExpired(uint256 jobId) external;

    function getTrainingJob(uint256 jobId) external view returns (TrainingJob memory);
    function trainingJobCount() external view returns (uint256);
}
