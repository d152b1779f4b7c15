// SPDX-License-Identifier: MIT
pragma solidity ^0.8.22;

import {IDatanets} from "./IDatanets.sol";
import {IInferences} from "./IInferences.sol";
import {IModels} from "./IModels.sol";
import {OpenLedger} from "./IOpenLedger.sol";

/// The benchmark's baseline: recordInference written as a plain Solidity
/// contract with the same records, checks, signature and fee split as the
/// Inferences precompile (docs/attribution.md), so that gas and throughput
/// can be compared side by side. The records, events and errors are the
/// interfaces' own (packages/sdk/contracts). Only what the benchmark calls is here.
contract AttributionBaseline {
    event ModelRegistered(uint256 indexed modelId, address indexed owner, address operator, uint256 price);

    error BadAttributions();

    bytes32 internal constant ATTRIBUTION_TYPEHASH = keccak256(
        "Attribution(uint256 modelId,address caller,bytes32 inputHash,bytes32 outputHash,uint256[] contributionIds,uint32[] weights,uint256 nonce,uint64 deadline)"
    );
    uint256 internal constant HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;
    bytes32 public immutable domainSeparator;

    uint256 public datanetCount;
    uint256 public contributionCount;
    uint256 public modelCount;
    uint256 public inferenceCount;
    mapping(uint256 => IDatanets.Datanet) internal datanets;
    mapping(uint256 => IDatanets.Contribution) internal contributions;
    mapping(uint256 => IModels.Model) internal models;
    mapping(uint256 => IInferences.Inference) internal inferences;
    mapping(uint256 => uint64[]) internal datanetContributions;
    mapping(uint256 => uint64[]) internal modelInferences;
    mapping(uint256 => uint64[]) internal contributionInferences;
    mapping(address => uint256) public rewardsOf;
    mapping(address => mapping(uint256 => uint256)) internal nonceBitmap;

    constructor() {
        domainSeparator = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("OpenLedger Attribution"),
                keccak256("1"),
                block.chainid,
                address(this)
            )
        );
    }

    function createDatanet(bytes32 metadataHash, string calldata uri, uint8 policy) external returns (uint256 id) {
        id = ++datanetCount;
        IDatanets.Datanet storage d = datanets[id];
        d.owner = msg.sender;
        d.policy = policy;
        d.metadataHash = metadataHash;
        d.uri = uri;
        emit IDatanets.DatanetCreated(id, msg.sender, metadataHash, uri, policy);
    }

    function contribute(uint256 datanetId, bytes32 contentHash, uint64 size, string calldata uri) external returns (uint256 id) {
        IDatanets.Datanet storage d = datanets[datanetId];
        require(d.owner != address(0) && d.status == 0 && size > 0);
        id = ++contributionCount;
        IDatanets.Contribution storage c = contributions[id];
        c.contributor = msg.sender;
        c.datanetId = uint64(datanetId);
        c.size = size;
        c.contentHash = contentHash;
        c.uri = uri;
        d.contributionCount += 1;
        datanetContributions[datanetId].push(uint64(id));
        if (d.policy == 0) {
            c.status = 1;
            c.rewardPerByteSettled = d.rewardPerByte;
            d.acceptedCount += 1;
            d.acceptedSize += size;
        }
        emit IDatanets.ContributionSubmitted(id, datanetId, msg.sender, contentHash, size, uri, c.status);
    }

    function registerModel(
        uint256[] calldata datanetIds,
        uint32[] calldata datanetWeights,
        uint128 price,
        address operator
    ) external returns (uint256 id) {
        id = ++modelCount;
        IModels.Model storage m = models[id];
        m.owner = msg.sender;
        m.ownerBps = 7_000;
        m.contributorsBps = 2_000;
        m.protocolBps = 1_000;
        m.operator = operator;
        m.price = price;
        for (uint256 i = 0; i < datanetIds.length; i++) {
            m.datanetIds.push(uint64(datanetIds[i]));
            m.datanetWeights.push(datanetWeights[i]);
        }
        emit ModelRegistered(id, msg.sender, operator, price);
    }

    function recordInference(IInferences.InferenceRequest calldata r) external payable returns (uint256 id) {
        IModels.Model storage m = models[r.modelId];
        require(m.owner != address(0) && m.status == 0);
        if (msg.value < m.price) revert IInferences.InsufficientFee(m.price, msg.value);
        address[] memory contributors = _checkAttributions(r, m.datanetIds);
        _useSignature(r, m.operator);
        id = _store(r);
        m.inferenceCount += 1;
        _pay(r, m, id, contributors);
    }

    function _checkAttributions(IInferences.InferenceRequest calldata r, uint64[] storage declaredIds)
        internal
        view
        returns (address[] memory contributors)
    {
        uint256 n = r.contributionIds.length;
        if (n == 0 || n > 256 || r.weights.length != n) revert BadAttributions();
        if (r.deadline < block.timestamp) revert IInferences.SignatureExpired(r.deadline);
        uint64[] memory declared = declaredIds;
        contributors = new address[](n);
        uint256 total;
        uint256 last;
        for (uint256 i = 0; i < n; i++) {
            uint256 cid = r.contributionIds[i];
            if (cid <= last || r.weights[i] == 0) revert BadAttributions();
            last = cid;
            total += r.weights[i];
            IDatanets.Contribution storage c = contributions[cid];
            if (c.status != 1) revert IInferences.ContributionNotAccepted(cid);
            bool found;
            for (uint256 j = 0; j < declared.length; j++) {
                if (declared[j] == c.datanetId) found = true;
            }
            if (!found) revert IInferences.DatanetNotDeclared(cid, c.datanetId);
            contributors[i] = c.contributor;
        }
        if (total != 1_000_000) revert BadAttributions();
    }

    function _useSignature(IInferences.InferenceRequest calldata r, address operator) internal {
        uint256 bit = 1 << (r.nonce & 0xff);
        uint256 bitmap = nonceBitmap[operator][r.nonce >> 8];
        if (bitmap & bit != 0) revert IInferences.NonceUsed(operator, r.nonce);
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", domainSeparator, _structHash(r)));
        address signer = _recover(digest, r.signature);
        if (signer != operator) revert IInferences.InvalidSignature(signer, operator);
        nonceBitmap[operator][r.nonce >> 8] = bitmap | bit;
    }

    function _store(IInferences.InferenceRequest calldata r) internal returns (uint256 id) {
        id = ++inferenceCount;
        IInferences.Inference storage inf = inferences[id];
        inf.caller = msg.sender;
        inf.modelId = uint64(r.modelId);
        inf.fee = uint128(msg.value);
        inf.blockNumber = uint64(block.number);
        inf.timestamp = uint64(block.timestamp);
        inf.inputHash = r.inputHash;
        inf.outputHash = r.outputHash;
        for (uint256 i = 0; i < r.contributionIds.length; i++) {
            inf.contributionIds.push(uint64(r.contributionIds[i]));
            inf.weights.push(r.weights[i]);
        }
        modelInferences[r.modelId].push(uint64(id));
        emit IInferences.InferenceRecorded(id, r.modelId, msg.sender, r.inputHash, r.outputHash, msg.value);
    }

    function _pay(IInferences.InferenceRequest calldata r, IModels.Model storage m, uint256 id, address[] memory contributors) internal {
        uint256 fee = msg.value;
        uint256 ownerShare = (fee * m.ownerBps) / 10_000;
        uint256 contributorsShare = (fee * m.contributorsBps) / 10_000;
        rewardsOf[m.owner] += ownerShare;
        uint256 paid = ownerShare;
        for (uint256 i = 0; i < contributors.length; i++) {
            uint256 cid = r.contributionIds[i];
            uint256 share = (contributorsShare * r.weights[i]) / 1_000_000;
            paid += share;
            rewardsOf[contributors[i]] += share;
            IDatanets.Contribution storage c = contributions[cid];
            c.attributionCount += 1;
            c.inferenceEarnings += uint128(share);
            contributionInferences[cid].push(uint64(id));
            emit IInferences.Attributed(id, cid, contributors[i], r.weights[i], share);
        }
        rewardsOf[OpenLedger.TREASURY] += fee - paid;
    }

    function _structHash(IInferences.InferenceRequest calldata r) internal view returns (bytes32) {
        uint256[] memory weights = new uint256[](r.weights.length);
        for (uint256 i = 0; i < weights.length; i++) weights[i] = r.weights[i];
        return keccak256(
            abi.encode(
                ATTRIBUTION_TYPEHASH,
                r.modelId,
                msg.sender,
                r.inputHash,
                r.outputHash,
                keccak256(abi.encodePacked(r.contributionIds)),
                keccak256(abi.encodePacked(weights)),
                r.nonce,
                r.deadline
            )
        );
    }

    function _recover(bytes32 digest, bytes calldata signature) internal pure returns (address) {
        if (signature.length != 65) return address(0);
        bytes32 rr = bytes32(signature[0:32]);
        bytes32 ss = bytes32(signature[32:64]);
        uint8 v = uint8(signature[64]);
        if (uint256(ss) > HALF_N) return address(0);
        return ecrecover(digest, v, rr, ss);
    }
}
