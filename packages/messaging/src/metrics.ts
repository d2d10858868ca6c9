import { Counter, Histogram, type Registry } from '@wallet-guard/observability';

export interface BusMetrics {
  applied: Counter<'group'>;
  deadLettered: Counter<'group' | 'reason'>;
  batchSeconds: Histogram<'group'>;
  published: Counter<'producer'>;
}

export function createBusMetrics(registry: Registry): BusMetrics {
  const registers = [registry];
  return {
    applied: new Counter({
      name: 'events_applied_total',
      help: 'Events applied by consumers',
      labelNames: ['group'],
      registers,
    }),
    deadLettered: new Counter({
      name: 'events_dead_lettered_total',
      help: 'Records consumers could not apply',
      labelNames: ['group', 'reason'],
      registers,
    }),
    batchSeconds: new Histogram({
      name: 'event_batch_apply_seconds',
      help: 'Time to apply one chunk of events',
      labelNames: ['group'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    published: new Counter({
      name: 'outbox_events_published_total',
      help: 'Outbox events sent to Kafka or delivered in-process',
      labelNames: ['producer'],
      registers,
    }),
  };
}
