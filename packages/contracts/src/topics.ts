/** Every Kafka topic we read or write. Names carry their major version; a breaking change is a new topic. */
export const TOPICS = {
  /** In: every wallet transaction, produced by the wallet backend (key = accountId). */
  walletTransactions: 'wallet.transactions.v1',
  /** Out of auth: sign-ins, lockouts, credential changes, freezes. */
  securityEvents: 'auth.security-events.v1',
  /** Out of auth: what the wallet must tell its user; the only place tokens travel. */
  notifications: 'auth.notifications.v1',
  /** Out of the monitor: every review or theft decision. */
  transactionFlags: 'risk.transaction-flags.v1',
  /** Out of the monitor: an account that looks stolen. */
  theftSuspected: 'risk.theft-suspected.v1',
  /** Out of the monitor: a destination many accounts showing takeover signs pay (key = `kind:id`). */
  muleDestinations: 'risk.mule-destination.v1',
  /** Out of support-cases: every case change, for the wallet to notify its user. */
  caseEvents: 'support.case-events.v1',
} as const;

export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

export const ALL_TOPICS: readonly Topic[] = Object.values(TOPICS);

/** Where a consumer puts what it cannot process. */
export const deadLetterTopic = (topic: string) => `${topic}.dlq`;

/** The name on the broker: deployments (and test files) sharing a cluster set a prefix. */
export const physicalTopic = (topic: string, prefix = '') => `${prefix}${topic}`;
