import type { AuthConfig } from '@wallet-guard/config';
import type { Database } from '@wallet-guard/db';
import type { EventBus } from '@wallet-guard/messaging';
import type { Logger } from '@wallet-guard/observability';
import type { Kysely } from 'kysely';
import type { BackgroundWork } from './background-work';
import type { Clock } from './clock';
import type { ConfirmationTokens } from './confirmations/confirmation-tokens';
import type { AuthMetrics } from './metrics';
import type { HashingPool } from './passwords/hashing-pool';
import type { PasswordHasher } from './passwords/password-hasher';
import type { PasswordPolicy } from './passwords/password-policy-service';
import type { RiskPolicyStore } from './risk/policy-store';
import type { SecondFactorProvider } from './step-up/second-factor-provider';
import type { AccessTokens } from './tokens/access-tokens';
import type { SecretBox } from './two-factor/secret-box';

/**
 * The auth service's application context: the configuration, the infrastructure and the
 * long-lived objects every capability's domain functions take as their first argument. Built
 * once by the `auth-application` plugin (`application.ts`). Types only: it holds no helpers,
 * so importing it can close no import circle.
 */
export interface AuthContext {
  config: AuthConfig;
  db: Kysely<Database>;
  /** State changes go through `commitThenDeliver(ctx.db, ctx.bus, ...)`. */
  bus: EventBus;
  /** The server's logger (request logs and ours in one stream, secrets redacted). */
  logger: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
  clock: Clock;
  hashing: HashingPool;
  hasher: PasswordHasher;
  policy: PasswordPolicy;
  /** The sign-in risk policy in force (AUTH_RISK_POLICY_FILE, reloaded on SIGHUP). */
  risk: RiskPolicyStore;
  accessTokens: AccessTokens;
  /** Signs and verifies payment confirmation tokens (same keys as access tokens). */
  confirmationTokens: ConfirmationTokens;
  /** The two-factor capability's hook into sign-in and every step-up. */
  secondFactor: SecondFactorProvider;
  /** AES-256-GCM keys for second-factor secrets at rest. */
  secretBox: SecretBox;
  metrics: AuthMetrics;
  /** Work done after the answer (see `BackgroundWork`). */
  background: BackgroundWork;
}
