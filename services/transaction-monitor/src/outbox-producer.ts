/** The outbox `producer` of everything the monitor publishes (its relay sends only these rows). */
export const MONITOR_PRODUCER = 'transaction-monitor';
