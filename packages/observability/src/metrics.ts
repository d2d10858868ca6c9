import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * A Prometheus registry labelled with the service. `processMetrics` adds Node's own (CPU,
 * memory, event loop); give them to one registry per process only, or /metrics repeats them.
 */
export function createMetricsRegistry(service: string, { processMetrics = true } = {}): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (processMetrics) collectDefaultMetrics({ register: registry });
  return registry;
}

export { Counter, Gauge, Histogram, type Registry } from 'prom-client';
