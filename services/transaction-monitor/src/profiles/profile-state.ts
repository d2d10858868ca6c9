import { z } from 'zod';

/**
 * Bounds on what a profile remembers. They keep each profile about a kilobyte, however long the
 * account's history (it is rewritten on every transaction): statistics come from the latest
 * outgoing amounts per currency, devices and countries forget the least recently used first, and
 * recent outgoing transactions cover the longest rule window (24 hours; the rules file refuses
 * longer windows). Counterparties live in rows of their own (`KnownCounterparty`).
 */
export const PROFILE_LIMITS = {
  amountsPerCurrency: 50,
  devices: 20,
  countries: 20,
  recentOutgoing: 200,
  recentWindowMs: 24 * 3_600_000,
} as const;

const amount = z.string().regex(/^\d+$/);

const recentOutgoing = z.object({
  at: z.number(),
  amount,
  currency: z.string(),
  counterparty: z.string().nullable(),
});

/**
 * The per-account document the rules read, stored as jsonb. Every field has a default, so a new
 * account's `{}` parses to an empty profile; `v` lets a future shape migrate old documents.
 */
export const PROFILE_VERSION = 1;

export const profileState = z.object({
  v: z.literal(PROFILE_VERSION).default(PROFILE_VERSION),
  /** Latest outgoing amounts per currency, oldest first: the sample for median and MAD. */
  amounts: z.record(z.string(), z.array(amount)).default({}),
  devices: z.array(z.string()).default([]),
  countries: z.array(z.string()).default([]),
  lastLocation: z.object({ lat: z.number(), lon: z.number(), at: z.number() }).nullable().default(null),
  /** Epoch ms of the latest transaction (any type). */
  lastActivityAt: z.number().nullable().default(null),
  /** Outgoing transactions of the last 24 hours (by event time), for the window rules. */
  recent: z.array(recentOutgoing).default([]),
});
export type ProfileState = z.infer<typeof profileState>;

const emptyProfileState = (): ProfileState => profileState.parse({});

/** What an account knows of one counterparty it has paid. */
export interface KnownCounterparty {
  /** Epoch ms of the first payment. */
  since: number;
  /** Minor units of the latest payment. */
  last: string;
}

/** Key of an (account, counterparty) pair in maps of `KnownCounterparty`. */
export const counterpartyKey = (accountId: string, counterparty: string) => `${accountId} ${counterparty}`;

/** A profile row mapped to the domain. */
export interface ProfileRecord {
  accountId: string;
  state: ProfileState;
  transactionCount: number;
  firstSeenAt: Date | null;
  lastActivityAt: Date | null;
}

export const newProfileRecord = (accountId: string): ProfileRecord => ({
  accountId,
  state: emptyProfileState(),
  transactionCount: 0,
  firstSeenAt: null,
  lastActivityAt: null,
});
