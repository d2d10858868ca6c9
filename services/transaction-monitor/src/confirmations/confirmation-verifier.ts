import {
  CONFIRMATION_TOKEN_AUDIENCE,
  CONFIRMATION_TOKEN_TYPE,
  confirmationClaims,
  payeeHash,
  type WalletTransaction,
} from '@wallet-guard/contracts';
import type { Logger } from '@wallet-guard/observability';
import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import type { Clock } from '../clock';
import { type ConfirmationCheck, type OwnerConfirmation, PHISHING_RESISTANT_ACR } from './owner-confirmation';

export interface VerifierSettings {
  /** auth's `/.well-known/jwks.json`. */
  jwksUrl: string;
  clock: Clock;
  logger: Pick<Logger, 'warn' | 'info'>;
  /** Counts each check by outcome. */
  onCheck: (outcome: ConfirmationCheck['outcome']) => void;
}

/** Longest wait for auth's key set: a scored payment is waiting on the answer. */
const JWKS_TIMEOUT_MS = 1500;
/** After a failed fetch, tokens are scored unconfirmed at once for this long instead of each waiting. */
const JWKS_BACKOFF_MS = 5000;
/** Clock difference between auth, the wallet and us that a token's `iat`/`exp` may show. */
const CLOCK_TOLERANCE_SECONDS = 30;

/**
 * Checks payment confirmation tokens against auth's published keys (`createRemoteJWKSet`: fetched
 * on first use and on an unknown `kid`, kept 10 minutes) and against the transaction in hand:
 * the token's `sub`, `txn`, `amt`, `cur` and `payee_hash` must be this transaction's account, id,
 * amount, currency and `payeeHash(counterparty)`. The issuer is not compared: only auth holds the
 * keys of this key set, and the type and audience tell its confirmation tokens from its other JWTs.
 * Expiry is judged at the transaction's own time (`occurredAt`, the wallet's clock), as every
 * rule is, so a replay scores as the first run did. Never throws; never logs or keeps the token.
 */
export class ConfirmationVerifier {
  private readonly keys: ReturnType<typeof createRemoteJWKSet>;
  private unavailableUntil = 0;

  constructor(private readonly settings: VerifierSettings) {
    this.keys = createRemoteJWKSet(new URL(settings.jwksUrl), {
      timeoutDuration: JWKS_TIMEOUT_MS,
      cooldownDuration: 30_000,
      cacheMaxAge: 600_000,
    });
  }

  /** The owner's confirmation of `tx`, when it carries a valid token bound to it; null otherwise. */
  async confirmationOf(tx: WalletTransaction): Promise<OwnerConfirmation | null> {
    if (tx.confirmationToken === undefined) return null;
    const check = await this.check(tx.confirmationToken, tx);
    this.settings.onCheck(check.outcome);
    if (check.outcome === 'confirmed') return check.confirmation;
    const where = { transactionId: tx.transactionId, accountId: tx.accountId };
    if (check.outcome === 'unavailable') {
      this.settings.logger.warn(
        { ...where, jwksUrl: this.settings.jwksUrl },
        'confirmation not verified: auth JWKS unreachable',
      );
    } else {
      this.settings.logger.info(
        { ...where, outcome: check.outcome, ...(check.outcome === 'mismatch' ? { fields: check.fields } : {}) },
        'confirmation token ignored',
      );
    }
    return null;
  }

  private async check(token: string, tx: WalletTransaction): Promise<ConfirmationCheck> {
    // Not even a JWS of the right type: invalid, without asking for keys.
    try {
      if (decodeProtectedHeader(token).typ !== CONFIRMATION_TOKEN_TYPE) return { outcome: 'invalid' };
    } catch {
      return { outcome: 'invalid' };
    }
    if (this.settings.clock().getTime() < this.unavailableUntil) return { outcome: 'unavailable' };
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        algorithms: ['EdDSA'],
        audience: CONFIRMATION_TOKEN_AUDIENCE,
        typ: CONFIRMATION_TOKEN_TYPE,
        currentDate: new Date(tx.occurredAt),
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['sub', 'jti', 'iat', 'exp'],
      }));
    } catch (error) {
      if (keySetUnavailable(error)) {
        this.unavailableUntil = this.settings.clock().getTime() + JWKS_BACKOFF_MS;
        return { outcome: 'unavailable' };
      }
      return { outcome: 'invalid' };
    }
    const claims = confirmationClaims.safeParse(payload);
    if (!claims.success) return { outcome: 'invalid' };
    const c = claims.data;
    const fields = [
      c.sub.toLowerCase() === tx.accountId.toLowerCase() ? null : 'accountId',
      c.txn === tx.transactionId ? null : 'transactionId',
      c.amt === tx.amountMinor ? null : 'amountMinor',
      c.cur === tx.currency ? null : 'currency',
      tx.counterparty && c.payee_hash === payeeHash(tx.counterparty) ? null : 'counterparty',
    ].filter((field): field is string => field !== null);
    if (fields.length > 0) return { outcome: 'mismatch', fields };
    return {
      outcome: 'confirmed',
      confirmation: { confirmationId: c.jti, phishingResistant: c.acr === PHISHING_RESISTANT_ACR },
    };
  }
}

/**
 * Whether jwtVerify failed for want of auth's keys (timeout, connection refused, an answer that is
 * not a key set), as opposed to a token that is not good.
 */
function keySetUnavailable(error: unknown): boolean {
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return true;
  // jose answers a non-200 or non-JSON key set with its generic error (no subclass), and passes
  // fetch's own failures (refused, reset, DNS) through as they are.
  return !(error instanceof errors.JOSEError) || error.code === 'ERR_JOSE_GENERIC';
}
