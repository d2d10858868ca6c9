import { Counter, Gauge, type Registry } from '@wallet-guard/observability';

export interface MonitorMetrics {
  scored: Counter<'decision'>;
  ruleHits: Counter<'rule' | 'mode'>;
  /** Transactions delivered again (same transactionId) and left alone. */
  duplicates: Counter;
  rulesReloads: Counter<'result'>;
  rulesVersion: Gauge<'version'>;
  freezes: Counter<'result'>;
  /** Payment confirmation tokens checked, by outcome (confirmed, invalid, mismatch, unavailable). */
  confirmationTokens: Counter<'outcome'>;
}

/**
 * The monitor's own metrics (the bus counts applied and dead-lettered events). Counted inside
 * the database transaction, so a batch retried after a database outage is counted again.
 */
export function createMonitorMetrics(registry: Registry): MonitorMetrics {
  const registers = [registry];
  return {
    scored: new Counter({
      name: 'monitor_transactions_scored_total',
      help: 'Transactions scored, by live decision',
      labelNames: ['decision'],
      registers,
    }),
    ruleHits: new Counter({
      name: 'monitor_rule_hits_total',
      help: 'Rule hits, by rule and mode (live or shadow)',
      labelNames: ['rule', 'mode'],
      registers,
    }),
    duplicates: new Counter({
      name: 'monitor_transactions_duplicate_total',
      help: 'Transactions delivered again and ignored (idempotency on transactionId)',
      registers,
    }),
    rulesReloads: new Counter({
      name: 'monitor_rules_reloads_total',
      help: 'Rules file reloads, by result (reloaded, unchanged, refused)',
      labelNames: ['result'],
      registers,
    }),
    rulesVersion: new Gauge({
      name: 'monitor_rules_version_info',
      help: 'The rules version in force (value 1)',
      labelNames: ['version'],
      registers,
    }),
    freezes: new Counter({
      name: 'monitor_auto_freezes_total',
      help: 'Auto-freeze calls to auth, by result (frozen, retry, failed)',
      labelNames: ['result'],
      registers,
    }),
    confirmationTokens: new Counter({
      name: 'monitor_confirmation_tokens_total',
      help: 'Payment confirmation tokens checked, by outcome (confirmed, invalid, mismatch, unavailable: auth JWKS unreachable)',
      labelNames: ['outcome'],
      registers,
    }),
  };
}
