// The RPC layer's metrics: typed prom-client objects the composition root
// creates and passes in, or null when metrics are off.
import type { Counter, Histogram } from 'prom-client';

export interface RpcMetrics {
  /** Requests by method and outcome (`ok` or the JSON-RPC error code). */
  requests: Counter<'method' | 'outcome'>;
  /** Handling time by method, in seconds. */
  duration: Histogram<'method'>;
}
