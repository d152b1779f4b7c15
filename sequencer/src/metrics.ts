// The sequencer's metrics: typed prom-client objects passed in, or null when off.
import type { Gauge, Histogram } from 'prom-client';

export interface ProducerMetrics {
  /** Time to build, seal and write a block, in seconds. */
  blockSeconds: Histogram;
  blockGasUsed: Histogram;
  blockTransactions: Histogram;
  headNumber: Gauge;
}
