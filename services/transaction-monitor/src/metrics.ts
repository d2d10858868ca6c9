import { Counter, Gauge, type Registry } from '@wallet-guard/observability';

export interface MonitorMetrics {
  scored: Counter<'decision'>;
  ruleHits: Counter<'rule' | 'mode'>;
  /** Transactions delivered again (same transactionId) and left alone. */
  duplicates: Counter;
  rulesReloads: Counter<'result'>;
  rulesVersion: Gauge<'version'>;
  /** The managed lists' version this instance scores with (moves when a batch sees a change). */
  listsVersion: Gauge;
  freezes: Counter<'result'>;
  /** Payment confirmation tokens checked, by outcome (confirmed, invalid, mismatch, unavailable). */
  confirmationTokens: Counter<'outcome'>;
  /** Transactions rescored after a late security event, by outcome (raised, kept, not_replayable). */
  rescored: Counter<'outcome'>;
  /** `risk.mule-destination.v1` announcements written to the outbox (first ones and updates). */
  muleAnnouncements: Counter;
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
    listsVersion: new Gauge({
      name: 'monitor_lists_version',
      help: 'The managed lists version this instance scores with',
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
    rescored: new Counter({
      name: 'monitor_rescored_total',
      help: 'Transactions rescored after a security event that arrived late, by outcome (raised: announced; kept: the decision would stay or fall, left as it was; not_replayable: a score with points taken off, left as it was)',
      labelNames: ['outcome'],
      registers,
    }),
    muleAnnouncements: new Counter({
      name: 'monitor_mule_destination_announcements_total',
      help: 'Mule destination incidents announced (risk.mule-destination.v1), the first announcement and each update',
      registers,
    }),
  };
}
