// The precompiles' ABIs, in viem's human-readable form so that every action
// and reader is typed. contracts/*.sol are the same interfaces in Solidity;
// test/abi.test.ts compiles them and checks that both say the same.
import { parseAbi } from 'viem';

const sharedErrors = [
  'error InvalidCalldata()',
  'error StaticCallNotAllowed()',
  'error DelegateCallNotAllowed()',
  'error NotPayable()',
  'error StringTooLong(uint256 length, uint256 max)',
  'error TooManyItems(uint256 count, uint256 max)',
] as const;

export const datanetsAbi = parseAbi([
  'struct Datanet { address owner; uint8 policy; uint8 status; uint64 contributionCount; uint64 acceptedCount; uint128 acceptedSize; bytes32 metadataHash; uint256 rewardPerByte; string uri; }',
  'struct Contribution { address contributor; uint8 status; uint64 datanetId; uint64 size; uint64 attributionCount; uint128 inferenceEarnings; bytes32 contentHash; uint256 rewardPerByteSettled; string uri; }',
  'event DatanetCreated(uint256 indexed datanetId, address indexed owner, bytes32 metadataHash, string uri, uint8 policy)',
  'event DatanetStatusChanged(uint256 indexed datanetId, uint8 status)',
  'event ContributionSubmitted(uint256 indexed contributionId, uint256 indexed datanetId, address indexed contributor, bytes32 contentHash, uint64 size, string uri, uint8 status)',
  'event ContributionReviewed(uint256 indexed contributionId, uint256 indexed datanetId, uint8 status)',
  'error UnknownDatanet(uint256 datanetId)',
  'error UnknownContribution(uint256 contributionId)',
  'error NotDatanetOwner(uint256 datanetId, address caller)',
  'error DatanetClosed(uint256 datanetId)',
  'error InvalidPolicy(uint8 policy)',
  'error InvalidStatus(uint8 status)',
  'error NotPending(uint256 contributionId)',
  'error InvalidSize()',
  ...sharedErrors,
  'function createDatanet(bytes32 metadataHash, string uri, uint8 policy) returns (uint256 datanetId)',
  'function contribute(uint256 datanetId, bytes32 contentHash, uint64 size, string uri) returns (uint256 contributionId)',
  'function reviewContribution(uint256 contributionId, bool accept)',
  'function setDatanetStatus(uint256 datanetId, uint8 status)',
  'function getDatanet(uint256 datanetId) view returns (Datanet)',
  'function getContribution(uint256 contributionId) view returns (Contribution)',
  'function datanetCount() view returns (uint256)',
  'function contributionCount() view returns (uint256)',
  'function contributionsOf(uint256 datanetId, uint256 offset, uint256 limit) view returns (uint256[])',
]);

export const modelsAbi = parseAbi([
  'struct ModelParams { uint256 parentId; uint8 kind; bytes32 recipeHash; string uri; uint256[] datanetIds; uint32[] datanetWeights; uint256 price; uint16 ownerBps; uint16 contributorsBps; uint16 protocolBps; address operator; }',
  'struct Model { address owner; uint8 kind; uint8 status; uint16 ownerBps; uint16 contributorsBps; uint16 protocolBps; address operator; uint64 parentId; uint128 price; uint64 inferenceCount; uint64 trainingJobId; bytes32 recipeHash; string uri; uint64[] datanetIds; uint32[] datanetWeights; }',
  'event ModelRegistered(uint256 indexed modelId, address indexed owner, uint256 indexed parentId, uint8 kind, bytes32 recipeHash, string uri, uint256 price, address operator)',
  'event ModelUpdated(uint256 indexed modelId, uint256 price, address operator, uint8 status)',
  'error UnknownModel(uint256 modelId)',
  'error NotModelOwner(uint256 modelId, address caller)',
  'error InvalidKind(uint8 kind)',
  'error InvalidParent(uint256 parentId)',
  'error InvalidSplit(uint16 ownerBps, uint16 contributorsBps, uint16 protocolBps)',
  'error InvalidDatanetWeights()',
  'error ZeroOperator()',
  'error InvalidStatus(uint8 status)',
  'error PriceTooHigh(uint256 price)',
  ...sharedErrors,
  'function registerModel(ModelParams params) returns (uint256 modelId)',
  'function setPrice(uint256 modelId, uint256 price)',
  'function setOperator(uint256 modelId, address operator)',
  'function setModelStatus(uint256 modelId, uint8 status)',
  'function getModel(uint256 modelId) view returns (Model)',
  'function modelCount() view returns (uint256)',
  'function inferencesOf(uint256 modelId, uint256 offset, uint256 limit) view returns (uint256[])',
]);

export const inferencesAbi = parseAbi([
  'struct InferenceRequest { uint256 modelId; bytes32 inputHash; bytes32 outputHash; uint256[] contributionIds; uint32[] weights; uint256 nonce; uint64 deadline; bytes signature; }',
  'struct Inference { address caller; uint64 modelId; uint128 fee; uint64 blockNumber; uint64 timestamp; bytes32 inputHash; bytes32 outputHash; uint64[] contributionIds; uint32[] weights; }',
  'event InferenceRecorded(uint256 indexed inferenceId, uint256 indexed modelId, address indexed caller, bytes32 inputHash, bytes32 outputHash, uint256 fee)',
  'event Attributed(uint256 indexed inferenceId, uint256 indexed contributionId, address indexed contributor, uint32 weight, uint256 amount)',
  'error UnknownModel(uint256 modelId)',
  'error ModelRetired(uint256 modelId)',
  'error UnknownInference(uint256 inferenceId)',
  'error InsufficientFee(uint256 required, uint256 paid)',
  'error NoAttributions()',
  'error LengthMismatch(uint256 contributions, uint256 weights)',
  'error ZeroWeight(uint256 contributionId)',
  'error WeightsDoNotSum(uint256 total)',
  'error ContributionsNotAscending(uint256 contributionId)',
  'error UnknownContribution(uint256 contributionId)',
  'error ContributionNotAccepted(uint256 contributionId)',
  'error DatanetNotDeclared(uint256 contributionId, uint256 datanetId)',
  'error SignatureExpired(uint64 deadline)',
  'error NonceUsed(address operator, uint256 nonce)',
  'error InvalidSignature(address recovered, address operator)',
  'error FeeTooHigh(uint256 fee)',
  ...sharedErrors,
  'function recordInference(InferenceRequest request) payable returns (uint256 inferenceId)',
  'function getInference(uint256 inferenceId) view returns (Inference)',
  'function inferenceCount() view returns (uint256)',
  'function attributionsOf(uint256 contributionId, uint256 offset, uint256 limit) view returns (uint256[])',
  'function nonceUsed(address operator, uint256 nonce) view returns (bool)',
  'function domainSeparator() view returns (bytes32)',
]);

export const trainingAbi = parseAbi([
  'struct TrainingRequest { uint256 baseModelId; uint8 kind; bytes32 recipeHash; uint256[] datanetIds; uint32[] datanetWeights; uint64 deadline; uint16 trainerBps; uint16 contributorsBps; }',
  'struct Completion { string uri; uint256 price; uint16 ownerBps; uint16 contributorsBps; uint16 protocolBps; address operator; }',
  'struct TrainingJob { address requester; uint8 status; uint8 kind; uint16 trainerBps; uint16 contributorsBps; uint16 protocolBps; address trainer; uint64 deadline; uint128 budget; uint64 baseModelId; uint64 modelId; bytes32 recipeHash; uint64[] datanetIds; uint32[] datanetWeights; }',
  'event TrainingRequested(uint256 indexed jobId, address indexed requester, uint256 indexed baseModelId, uint256 budget, uint64 deadline)',
  'event TrainingAccepted(uint256 indexed jobId, address indexed trainer)',
  'event TrainingCompleted(uint256 indexed jobId, uint256 indexed modelId, address indexed trainer, uint256 trainerAmount, uint256 contributorsAmount, uint256 protocolAmount)',
  'event TrainingRefunded(uint256 indexed jobId, address indexed requester, uint256 amount)',
  'error UnknownJob(uint256 jobId)',
  'error ModelRetired(uint256 modelId)',
  'error UnknownModel(uint256 modelId)',
  'error NotRequester(uint256 jobId, address caller)',
  'error NotTrainer(uint256 jobId, address caller)',
  'error WrongJobStatus(uint256 jobId, uint8 status)',
  'error JobExpired(uint256 jobId, uint64 deadline)',
  'error JobNotExpired(uint256 jobId, uint64 deadline)',
  'error EmptyBudget()',
  'error BudgetTooLarge(uint256 budget)',
  'error DeadlineInPast(uint64 deadline)',
  'error InvalidSplit(uint16 trainerBps, uint16 contributorsBps, uint16 protocolBps)',
  'error InvalidKind(uint8 kind)',
  'error InvalidDatanetWeights()',
  // Models' registerModel errors, which completeTraining reaches when it registers the result.
  'error InvalidParent(uint256 parentId)',
  'error ZeroOperator()',
  'error PriceTooHigh(uint256 price)',
  ...sharedErrors,
  'function requestTraining(TrainingRequest request) payable returns (uint256 jobId)',
  'function acceptTraining(uint256 jobId)',
  'function completeTraining(uint256 jobId, Completion completion) returns (uint256 modelId)',
  'function cancelTraining(uint256 jobId)',
  'function refundExpired(uint256 jobId)',
  'function getTrainingJob(uint256 jobId) view returns (TrainingJob)',
  'function trainingJobCount() view returns (uint256)',
]);

export const rewardsAbi = parseAbi([
  'event Claimed(address indexed account, uint256 amount)',
  'event ContributionSettled(uint256 indexed contributionId, address indexed contributor, uint256 amount)',
  'error NothingToClaim()',
  'error UnknownContribution(uint256 contributionId)',
  ...sharedErrors,
  'function claim() returns (uint256 amount)',
  'function settleContributions(uint256[] contributionIds) returns (uint256 total)',
  'function rewardsOf(address account) view returns (uint256)',
  'function pendingTrainingReward(uint256 contributionId) view returns (uint256)',
  'function treasury() view returns (address)',
]);

/**
 * Every precompile's functions, events and errors in one ABI, for decoding
 * logs and revert data without knowing which precompile produced them
 * (errors several precompiles share appear once per precompile; decoding takes the first).
 */
export const openLedgerAbi = [
  ...datanetsAbi,
  ...modelsAbi,
  ...inferencesAbi,
  ...trainingAbi,
  ...rewardsAbi,
] as const;
