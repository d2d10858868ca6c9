import { z } from 'zod';
import { accountId, envelope, isoDateTime } from '../envelope';
import { ipAddress } from '../ip-address';
import { amountMinor, currencyCode, signedAmountMinor } from '../money';

export const TRANSACTION_TYPES = ['deposit', 'withdrawal', 'transfer_out', 'transfer_in', 'payment'] as const;
export const transactionType = z.enum(TRANSACTION_TYPES);
export type TransactionType = z.infer<typeof transactionType>;

/** Types that move money out of the account: the ones theft cares about. */
export const OUTGOING_TRANSACTION_TYPES: readonly TransactionType[] = ['withdrawal', 'transfer_out', 'payment'];

export const counterpartyKind = z.enum(['bank_account', 'wallet', 'card', 'merchant', 'crypto_address']);

export const counterparty = z.object({
  id: z.string().min(1).max(128),
  kind: counterpartyKind,
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 code' })
    .optional(),
});

export const transactionContext = z.object({
  /** Canonical text (see `canonicalIp`), so the monitor's new-IP and travel rules see one spelling. */
  ip: ipAddress.optional(),
  deviceId: z.string().trim().min(1).max(128).optional(),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 code' })
    .optional(),
  lat: z.number().min(-90).max(90).optional(),
  lon: z.number().min(-180).max(180).optional(),
});

/** Longest payment confirmation token accepted (an EdDSA one is about 700 characters): bounded so a huge string costs nothing to refuse. */
export const CONFIRMATION_TOKEN_MAX_LENGTH = 4096;

export const walletTransaction = z.object({
  /** The wallet's own id; unique per wallet, the key for idempotency. */
  transactionId: z.string().min(1).max(128),
  accountId,
  type: transactionType,
  amountMinor,
  currency: currencyCode,
  balanceAfterMinor: signedAmountMinor.optional(),
  counterparty: counterparty.optional(),
  channel: z.enum(['app', 'web', 'api']).optional(),
  context: transactionContext.optional(),
  occurredAt: isoDateTime,
  /**
   * Added in place (optional): the owner's payment confirmation token for exactly this transaction
   * (auth's `POST /v1/confirmations/:id/approve`, a JWT; see `authConfirmationsApi`). The monitor
   * verifies it with auth's JWKS and lowers the score of a transaction it binds; it never stores it.
   */
  confirmationToken: z.string().min(1).max(CONFIRMATION_TOKEN_MAX_LENGTH).optional(),
});
export type WalletTransaction = z.infer<typeof walletTransaction>;

/** `wallet.transactions.v1`, key = accountId. The envelope's accountId must match the payload's. */
export const transactionCreated = envelope('transaction.created', 1, walletTransaction).refine(
  (e) => e.accountId === e.payload.accountId,
  { message: 'envelope accountId must equal payload accountId', path: ['accountId'] },
);
export type TransactionCreated = z.infer<typeof transactionCreated>;
