// A minimal ERC-20 the end-to-end tests deploy: events, allowances and both kinds of revert.

/** Contract name of {@link ERC20_SOURCE} in `compileSolidity` output. */
export const ERC20_CONTRACT_NAME = 'TestToken';

/** File name to compile {@link ERC20_SOURCE} under. */
export const ERC20_FILE = 'TestToken.sol';

/**
 * `constructor(string name, string symbol, uint256 initialSupply)` mints `initialSupply` to the deployer.
 * A transfer beyond the balance reverts with `InsufficientBalance(from, balance, needed)`, beyond the
 * allowance with `InsufficientAllowance(spender, allowance, needed)`; a transfer to address zero
 * reverts with the require message "ERC20: transfer to the zero address".
 */
export const ERC20_SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract TestToken {
    string public name;
    string public symbol;
    uint8 public constant decimals = 18;
    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    error InsufficientBalance(address from, uint256 balance, uint256 needed);
    error InsufficientAllowance(address spender, uint256 allowance, uint256 needed);

    constructor(string memory name_, string memory symbol_, uint256 initialSupply) {
        name = name_;
        symbol = symbol_;
        totalSupply = initialSupply;
        balanceOf[msg.sender] = initialSupply;
        emit Transfer(address(0), msg.sender, initialSupply);
    }

    function transfer(address to, uint256 value) external returns (bool) {
        _transfer(msg.sender, to, value);
        return true;
    }

    function approve(address spender, uint256 value) external returns (bool) {
        allowance[msg.sender][spender] = value;
        emit Approval(msg.sender, spender, value);
        return true;
    }

    function transferFrom(address from, address to, uint256 value) external returns (bool) {
        uint256 allowed = allowance[from][msg.sender];
        if (allowed != type(uint256).max) {
            if (allowed < value) revert InsufficientAllowance(msg.sender, allowed, value);
            allowance[from][msg.sender] = allowed - value;
        }
        _transfer(from, to, value);
        return true;
    }

    function _transfer(address from, address to, uint256 value) internal {
        require(to != address(0), "ERC20: transfer to the zero address");
        uint256 balance = balanceOf[from];
        if (balance < value) revert InsufficientBalance(from, balance, value);
        unchecked {
            balanceOf[from] = balance - value;
        }
        balanceOf[to] += value;
        emit Transfer(from, to, value);
    }
}
`;
