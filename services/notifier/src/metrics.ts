import { Counter, Histogram, type Registry } from '@wallet-guard/observability';

export interface NotifierMetrics {
  /**
   * Attempts and outcomes by message kind, channel and result: `sent`, `failed` (refused for good
   * or out of attempts), `retry` (a failed attempt that will be tried again), `duplicate` (an
   * event delivered again whose message had already gone out or failed: nothing sent).
   */
  deliveries: Counter<'kind' | 'channel' | 'result'>;
  /** From the event's `occurredAt` to the mail server's or webhook's acceptance. */
  latency: Histogram<'channel'>;
}

export function createNotifierMetrics(registry: Registry): NotifierMetrics {
  const registers = [registry];
  return {
    deliveries: new Counter({
      name: 'notifier_deliveries_total',
      help: 'Delivery attempts and outcomes, by message kind, channel and result (sent, failed, retry, duplicate)',
      labelNames: ['kind', 'channel', 'result'],
      registers,
    }),
    latency: new Histogram({
      name: 'notifier_delivery_latency_seconds',
      help: "Seconds from the event to the server's acceptance, by channel",
      labelNames: ['channel'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
      registers,
    }),
  };
}
