import type { AuthConfig } from '@wallet-guard/config';
import type { Database } from '@wallet-guard/db';
import type { EventBus } from '@wallet-guard/messaging';
import type { Logger } from '@wallet-guard/observability';
import type { Kysely, Transaction } from 'kysely';
import type { BackgroundWork } from './background-work';
import type { AuthMetrics } from './metrics';
import type { HashingPool } from './passwords/hashing-pool';
import type { PasswordHasher } from './passwords/password-hasher';
import type { PasswordPolicy } from './passwords/password-policy-service';
import type { SecondFactor } from './sessions/second-factor';
import type { AccessTokens } from './tokens/access-tokens';
import type { SecretBox } from './two-factor/secret-box';

/** The service's one source of "now": tests move it to cross lock windows and token expiry. */
export type Clock = () => Date;

/** What the capabilities share, built once in `app.ts`. */
export interface AuthDeps {
  config: AuthConfig;
  db: Kysely<Database>;
  bus: EventBus;
  /** The server's logger (request logs and ours in one stream, secrets redacted). */
  logger: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
  clock: Clock;
  hashing: HashingPool;
  hasher: PasswordHasher;
  policy: PasswordPolicy;
  accessTokens: AccessTokens;
  /** The two-factor capability's hook into sign-in and every step-up. */
  secondFactor: SecondFactor;
  /** AES-256-GCM keys for second-factor secrets at rest. */
  secretBox: SecretBox;
  metrics: AuthMetrics;
  /** Work done after the answer (see `BackgroundWork`). */
  background: BackgroundWork;
}

/**
 * Runs `work` in one transaction and, once it committed, asks the bus to deliver the outbox
 * rows it wrote (in-process delivery would otherwise wait for the next poll).
 */
export async function inTransaction<T>(deps: AuthDeps, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  const result = await deps.db.transaction().execute(work);
  deps.bus.nudge();
  return result;
}
