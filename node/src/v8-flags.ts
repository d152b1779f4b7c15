// V8 settings for the node's process, made as it starts (cli.ts imports this first).
//
// Allocation-site pretenuring is turned off. V8 watches where objects are
// allocated; when most objects made at one place in the code outlive a
// young-generation collection, it allocates whatever that place makes
// directly in the old generation from then on, and it does not take the
// decision back. Building a block keeps EthereumJS's per-transaction objects
// (interpreter state, environments, results) alive until the block is
// sealed, so the places that make them get tenured after a burst of
// transactions. From then on every eth_call made its short-lived copies of
// the same objects in the old generation: a mark-compact of the whole heap
// every few thousand calls, and calls about 7% slower than with this flag
// (in process, after 4,000 transfers), for as long as the process lived.
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--no-allocation-site-pretenuring');
