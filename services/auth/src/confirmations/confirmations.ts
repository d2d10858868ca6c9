import { randomUUID } from 'node:crypto';
import {
  type AuthAcr,
  authAcr,
  type ClientContext,
  type ConfirmationApproved,
  type ConfirmationCreated,
  type ConfirmationMethod,
  type ConfirmationRedeemed,
  type ConfirmationView,
  type CreateConfirmationBody,
  payeeHash,
  type RedeemConfirmationBody,
} from '@wallet-guard/contracts';
import { commitThenDeliver } from '@wallet-guard/messaging';
import { type Account, findAccount } from '../accounts/accounts-store';
import type { AuthContext } from '../auth-context';
import { authErrors } from '../errors';
import { countPasskeys } from '../passkeys/passkeys-store';
import { publish, securityEvent } from '../security-events/publish';
import { checkSecondFactor, stepUpCounter } from '../step-up/step-up-check';
import type { AuthenticatedUser } from '../tokens/user-auth';
import { isTotpEnabled } from '../two-factor/totp-store';
import {
  decidePending,
  expirePending,
  findConfirmation,
  findLiveConfirmation,
  findOwnConfirmation,
  insertConfirmation,
  markRedeemed,
  type PaymentConfirmation,
} from './confirmations-store';
import { countRefusal } from './refusals';

const isAcr = (value: string | null): value is AuthAcr => authAcr.safeParse(value).success;

/** The portal's page for a confirmation (no secret in it: the page asks auth with the user's bearer). */
const portalPath = (id: string) => `/confirmations/${id}`;

/** How the account can approve, passkey first (phishing-resistant); empty: it cannot. */
async function approvalMethods(ctx: AuthContext, accountId: string): Promise<ConfirmationMethod[]> {
  const [passkeys, totp] = await Promise.all([countPasskeys(ctx.db, accountId), isTotpEnabled(ctx.db, accountId)]);
  return [...(passkeys > 0 ? (['passkey'] as const) : []), ...(totp ? (['totp'] as const) : [])];
}

/** The account behind a valid bearer (its session is active, so the account exists). */
async function accountOf(ctx: AuthContext, user: AuthenticatedUser): Promise<Account> {
  const account = await findAccount(ctx.db, user.accountId);
  if (!account) throw authErrors.invalidAccessToken();
  return account;
}

/**
 * Opens a pending confirmation of one payment for the signed-in user. 409 AUTH_SECOND_FACTOR_REQUIRED
 * when the account has nothing to approve with; 409 AUTH_CONFIRMATION_EXISTS while another
 * confirmation of the same transaction is pending, approved or redeemed.
 */
export async function createConfirmation(
  ctx: AuthContext,
  user: AuthenticatedUser,
  input: CreateConfirmationBody,
): Promise<ConfirmationCreated> {
  const account = await accountOf(ctx, user);
  if ((await approvalMethods(ctx, account.id)).length === 0) throw authErrors.secondFactorRequired();
  const now = ctx.clock();
  const expiresAt = new Date(now.getTime() + ctx.config.confirmations.ttlSeconds * 1000);
  // Twice at most: a live one refused or expired between our insert and our read frees the slot.
  for (let attempt = 0; ; attempt++) {
    const id = randomUUID();
    const inserted = await insertConfirmation(ctx.db, {
      id,
      accountId: account.id,
      transactionId: input.transactionId,
      amountMinor: input.amountMinor,
      currency: input.currency,
      payee: input.payee,
      locale: input.locale ?? account.locale,
      createdAt: now,
      expiresAt,
    });
    if (inserted) {
      return { confirmationId: id, status: 'pending', expiresAt: expiresAt.toISOString(), portalPath: portalPath(id) };
    }
    const live = await findLiveConfirmation(ctx.db, account.id, input.transactionId);
    if (live) throw authErrors.confirmationExists(live.id, live.status);
    // Freed and taken again by another request twice in a row: let the wallet try once more.
    if (attempt > 0) throw authErrors.busy(1);
  }
}

/** Pending past its expiry reads as expired, before housekeeping records it. */
const effectiveStatus = (c: PaymentConfirmation, now: Date) =>
  c.status === 'pending' && c.expiresAt <= now ? 'expired' : c.status;

/** The user's own confirmation, for its page: 404 AUTH_CONFIRMATION_NOT_FOUND when it is not theirs. */
export async function viewConfirmation(
  ctx: AuthContext,
  user: AuthenticatedUser,
  id: string,
): Promise<ConfirmationView> {
  const confirmation = await findOwnConfirmation(ctx.db, id, user.accountId);
  if (!confirmation) throw authErrors.confirmationNotFound();
  const status = effectiveStatus(confirmation, ctx.clock());
  return {
    confirmationId: confirmation.id,
    transactionId: confirmation.transactionId,
    amountMinor: confirmation.amountMinor,
    currency: confirmation.currency,
    payee: confirmation.payee,
    locale: confirmation.locale,
    status,
    createdAt: confirmation.createdAt.toISOString(),
    expiresAt: confirmation.expiresAt.toISOString(),
    methods: status === 'pending' ? await approvalMethods(ctx, user.accountId) : [],
  };
}

/**
 * The user's own confirmation, still pending and unexpired: else 404 AUTH_CONFIRMATION_NOT_FOUND,
 * 409 AUTH_CONFIRMATION_NOT_PENDING or 410 AUTH_CONFIRMATION_EXPIRED.
 */
export async function pendingConfirmation(
  ctx: AuthContext,
  user: AuthenticatedUser,
  id: string,
): Promise<PaymentConfirmation> {
  const confirmation = await findOwnConfirmation(ctx.db, id, user.accountId);
  if (!confirmation) throw authErrors.confirmationNotFound();
  const status = effectiveStatus(confirmation, ctx.clock());
  if (status === 'expired') throw authErrors.confirmationExpired();
  if (status !== 'pending') throw authErrors.confirmationNotPending(status);
  return confirmation;
}

/** A decision lost to another one (or to the clock) between the read and the update: say which. */
async function lostDecision(ctx: AuthContext, user: AuthenticatedUser, id: string): Promise<never> {
  await pendingConfirmation(ctx, user, id);
  throw authErrors.confirmationNotPending('pending');
}

/** What a verified approval proved: how, and the RFC 8176 methods and assurance it reached. */
export interface ApprovalProof {
  method: ConfirmationMethod;
  amr: string[];
  acr: AuthAcr;
}

/**
 * Approves with an authenticator code, checked on the account's step-up counter like every
 * step-up (counted before it is checked; refused unchecked while locked; a wrong one at the
 * threshold locks): 401 AUTH_SECOND_FACTOR_INVALID for every refusal.
 */
async function proveWithTotp(
  ctx: AuthContext,
  account: Account,
  totpCode: string,
  context: ClientContext,
): Promise<ApprovalProof> {
  // StepUpPurpose only steers recovery-code warnings, and a payment is never approved with a recovery code.
  await checkSecondFactor(ctx, {
    account,
    counter: stepUpCounter(account),
    proof: { totpCode },
    context,
    purpose: 'sign_in',
  });
  return { method: 'totp', amr: ['otp'], acr: 'urn:wallet-guard:acr:aal2' };
}

/**
 * Records the approval (pending -> approved, with its `payment_confirmation.approved` event) and
 * answers the signed token binding the account, the transaction id, the amount, the currency and
 * the payee. The proof was checked by the caller against this confirmation.
 */
export async function approveConfirmation(
  ctx: AuthContext,
  user: AuthenticatedUser,
  confirmation: PaymentConfirmation,
  proof: ApprovalProof,
  context: ClientContext,
): Promise<ConfirmationApproved> {
  const now = ctx.clock();
  const approved = await commitThenDeliver(ctx.db, ctx.bus, async (trx) => {
    if (!(await decidePending(trx, confirmation.id, now, { status: 'approved', ...proof }))) return false;
    await publish(trx, [
      securityEvent('payment_confirmation.approved', confirmation.accountId, {
        confirmationId: confirmation.id,
        transactionId: confirmation.transactionId,
        method: proof.method,
        context,
      }),
    ]);
    return true;
  });
  if (!approved) return lostDecision(ctx, user, confirmation.id);
  return signApproval(ctx, confirmation, proof, now);
}

/** A fresh token for an approval: every bound detail, and how the owner approved. */
async function signApproval(
  ctx: AuthContext,
  confirmation: PaymentConfirmation,
  proof: { amr: readonly string[]; acr: AuthAcr },
  now: Date,
): Promise<ConfirmationApproved> {
  const confirmationToken = await ctx.confirmationTokens.sign(
    {
      accountId: confirmation.accountId,
      confirmationId: confirmation.id,
      transactionId: confirmation.transactionId,
      amountMinor: confirmation.amountMinor,
      currency: confirmation.currency,
      payeeHash: payeeHash(confirmation.payee),
      amr: [...proof.amr],
      acr: proof.acr,
    },
    now,
  );
  return { confirmationToken, expiresIn: ctx.confirmationTokens.ttlSeconds };
}

/**
 * The wallet collects the token of an approval the user gave on the portal (`POST
 * /v1/confirmations/:id/token`, the wallet's key and the user's bearer): a freshly signed token
 * with the approval's amr and acr, so no token is ever stored and the portal never hands one to
 * the browser. Issued while the confirmation is approved and not redeemed, for at most
 * AUTH_CONFIRMATION_TTL_SECONDS after the approval. 404 AUTH_CONFIRMATION_NOT_FOUND (none, or
 * another account's), 409 AUTH_CONFIRMATION_NOT_APPROVED (still pending), 409
 * AUTH_CONFIRMATION_NOT_PENDING (refused), 409 AUTH_CONFIRMATION_USED (redeemed), 410
 * AUTH_CONFIRMATION_EXPIRED (never approved in time, or approved too long ago).
 */
export async function issueApprovalToken(
  ctx: AuthContext,
  user: AuthenticatedUser,
  id: string,
): Promise<ConfirmationApproved> {
  const confirmation = await findOwnConfirmation(ctx.db, id, user.accountId);
  if (!confirmation) throw authErrors.confirmationNotFound();
  const now = ctx.clock();
  const status = effectiveStatus(confirmation, now);
  if (status === 'pending') throw authErrors.confirmationNotApproved();
  if (status === 'redeemed') throw authErrors.confirmationUsed();
  if (status === 'expired') throw authErrors.confirmationExpired();
  if (status !== 'approved') throw authErrors.confirmationNotPending(status);
  const { decidedAt, amr, acr } = confirmation;
  const collectableUntil = (decidedAt?.getTime() ?? 0) + ctx.config.confirmations.ttlSeconds * 1000;
  if (!amr || !isAcr(acr) || now.getTime() >= collectableUntil) throw authErrors.confirmationExpired();
  return signApproval(ctx, confirmation, { amr, acr }, now);
}

/** Approve with an authenticator code (the passkey path is `approveWithPasskey`). */
export async function approveWithTotp(
  ctx: AuthContext,
  user: AuthenticatedUser,
  id: string,
  input: { totpCode: string; context: ClientContext },
): Promise<ConfirmationApproved> {
  const confirmation = await pendingConfirmation(ctx, user, id);
  const proof = await proveWithTotp(ctx, await accountOf(ctx, user), input.totpCode, input.context);
  return approveConfirmation(ctx, user, confirmation, proof, input.context);
}

/**
 * The user refuses: pending -> refused with `payment_confirmation.refused`, and the refusal counts
 * on the account's step-up counter (see `countRefusal`), all in one transaction.
 */
export async function refuseConfirmation(
  ctx: AuthContext,
  user: AuthenticatedUser,
  id: string,
  context: ClientContext,
): Promise<void> {
  const confirmation = await pendingConfirmation(ctx, user, id);
  const account = await accountOf(ctx, user);
  const now = ctx.clock();
  const refused = await commitThenDeliver(ctx.db, ctx.bus, async (trx) => {
    if (!(await decidePending(trx, confirmation.id, now, { status: 'refused' }))) return false;
    const { refusals, messages } = await countRefusal(ctx, trx, account, stepUpCounter(account), context, now);
    await publish(trx, [
      securityEvent('payment_confirmation.refused', account.id, {
        confirmationId: confirmation.id,
        transactionId: confirmation.transactionId,
        refusals,
        context,
      }),
      ...messages,
    ]);
    return true;
  });
  if (!refused) await lostDecision(ctx, user, id);
}

/**
 * The wallet spends a confirmation token on the payment it is making. 401 AUTH_CONFIRMATION_INVALID
 * (signature, type, audience, expiry; a frozen account; a confirmation no longer approved), 422
 * AUTH_CONFIRMATION_MISMATCH when any bound detail differs (the token stays usable for the payment
 * it binds), 409 AUTH_CONFIRMATION_USED for the second redemption (one atomic update decides).
 */
export async function redeemConfirmation(
  ctx: AuthContext,
  input: RedeemConfirmationBody,
): Promise<ConfirmationRedeemed> {
  const now = ctx.clock();
  const claims = await ctx.confirmationTokens.verify(input.confirmationToken, now);
  if (!claims) throw authErrors.confirmationInvalid();
  const mismatched = [
    claims.txn === input.transactionId ? null : 'transactionId',
    claims.amt === input.amountMinor ? null : 'amountMinor',
    claims.cur === input.currency ? null : 'currency',
    claims.payee_hash === payeeHash(input.payee) ? null : 'payee',
  ].filter((field): field is string => field !== null);
  if (mismatched.length > 0) throw authErrors.confirmationMismatch(mismatched);
  const account = await findAccount(ctx.db, claims.sub);
  if (account?.status !== 'active') throw authErrors.confirmationInvalid();
  if (!(await markRedeemed(ctx.db, claims.jti, now))) {
    const confirmation = await findConfirmation(ctx.db, claims.jti);
    if (confirmation?.status === 'redeemed') throw authErrors.confirmationUsed();
    throw authErrors.confirmationInvalid();
  }
  return { accountId: claims.sub, confirmationId: claims.jti, amr: claims.amr, acr: claims.acr };
}

/** Confirmations expired per transaction of housekeeping (it loops until none are left). */
const EXPIRY_BATCH = 200;

/**
 * Housekeeping: every pending confirmation past its expiry becomes `expired`, with its
 * `payment_confirmation.abandoned` event in the same transaction. Safe to run on several instances
 * at once (each confirmation is expired and announced once). Returns how many it expired.
 */
export async function expireAbandonedConfirmations(ctx: AuthContext): Promise<number> {
  let total = 0;
  for (;;) {
    const now = ctx.clock();
    const expired = await commitThenDeliver(ctx.db, ctx.bus, async (trx) => {
      const rows = await expirePending(trx, now, EXPIRY_BATCH);
      if (rows.length > 0) {
        await publish(
          trx,
          rows.map((row) =>
            securityEvent('payment_confirmation.abandoned', row.accountId, {
              confirmationId: row.id,
              transactionId: row.transactionId,
            }),
          ),
        );
      }
      return rows.length;
    });
    total += expired;
    if (expired < EXPIRY_BATCH) return total;
  }
}
