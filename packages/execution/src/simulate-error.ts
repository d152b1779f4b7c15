// Why eth_simulateV1 refuses a request: the spec's reasons (simulate.ts and simulate-vm.ts raise them).
import { NodeError, type SimulationRejection } from '@openledger/core';

export type SimulationErrorType = { code: 'SIMULATION_REJECTED'; reason: SimulationRejection };

/** The request cannot be simulated: blocks out of order, a call that is not a valid transaction, ... */
export class SimulationError extends NodeError<SimulationErrorType> {}

export function rejected(reason: SimulationRejection, message: string): SimulationError {
  return new SimulationError({ code: 'SIMULATION_REJECTED', reason }, message);
}
