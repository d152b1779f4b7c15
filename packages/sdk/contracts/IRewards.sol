// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IOpenLedgerErrors} from "./IOpenLedger.sol";

/// @title Rewards: pull-based OPEN balances from inference fees and training budgets.
/// @notice Precompile at OpenLedger.REWARDS, whose account holds every unclaimed wei.
/// Inference fees are credited at once; a contribution's training rewards accrue on
/// its datanet (rewardPerByte) and move to the contributor's balance when settled.
interface IRewards is IOpenLedgerErrors {
    event Claimed(address indexed account, uint256 amount);
    event ContributionSettled(uint256 indexed contributionId, address indexed contributor, uint256 amount);

    error NothingToClaim();
    error UnknownContribution(uint256 contributionId);

    /// Pays the caller's whole balance in native OPEN.
    function claim() external returns (uint256 amount);
    /// Moves the accrued training rewards of up to 256 contributions to their contributors' balances.
    function settleContributions(uint256[] calldata contributionIds) external returns (uint256 total);

    function rewardsOf(address account) external view returns (uint256);
    function pendingTrainingReward(uint256 contributionId) external view returns (uint256);
    function treasury() external view returns (address);
}
