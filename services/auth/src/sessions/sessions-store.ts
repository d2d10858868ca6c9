import { randomUUID } from 'node:crypto';
import type { ClientContext } from '@wallet-guard/contracts';
import type { AuthSessionTable, Database, SessionRestriction } from '@wallet-guard/db';
import type { Kysely, Selectable, Transaction } from 'kysely';
import { newOpaqueToken, tokenHash } from '../tokens/opaque-token';

export interface Session {
  id: string;
  accountId: string;
  amr: string[];
  aal: number;
  ip: string | null;
  userAgent: string | null;
  deviceId: string | null;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  /** `password_change`: the session may only change the password (issue 16); null for an ordinary one. */
  restriction: SessionRestriction | null;
}

export interface SessionLifetimes {
  refreshTtlSeconds: number;
  sessionMaxAgeSeconds: number;
}

type Db = Kysely<Database> | Transaction<Database>;

const columns = [
  'id',
  'account_id',
  'amr',
  'aal',
  'ip',
  'user_agent',
  'device_id',
  'created_at',
  'last_used_at',
  'expires_at',
  'restriction',
] as const;

function toSession(row: Pick<Selectable<AuthSessionTable>, (typeof columns)[number]>): Session {
  return {
    id: row.id,
    accountId: row.account_id,
    amr: row.amr,
    aal: row.aal,
    ip: row.ip,
    userAgent: row.user_agent,
    deviceId: row.device_id,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    expiresAt: row.expires_at,
    restriction: row.restriction,
  };
}

/** A refresh token never outlives its session, nor its own idle timeout. */
const refreshExpiry = (now: Date, sessionExpiresAt: Date, lifetimes: SessionLifetimes) =>
  new Date(Math.min(now.getTime() + lifetimes.refreshTtlSeconds * 1000, sessionExpiresAt.getTime()));

export async function createSession(
  trx: Transaction<Database>,
  input: {
    accountId: string;
    amr: readonly string[];
    aal: number;
    context: ClientContext;
    restriction?: SessionRestriction | undefined;
  },
  now: Date,
  lifetimes: SessionLifetimes,
): Promise<{ session: Session; refreshToken: string }> {
  const expiresAt = new Date(now.getTime() + lifetimes.sessionMaxAgeSeconds * 1000);
  const row = await trx
    .insertInto('auth_sessions')
    .values({
      id: randomUUID(),
      account_id: input.accountId,
      amr: JSON.stringify(input.amr),
      aal: input.aal,
      ip: input.context.ip ?? null,
      user_agent: input.context.userAgent ?? null,
      device_id: input.context.deviceId ?? null,
      created_at: now,
      last_used_at: now,
      expires_at: expiresAt,
      restriction: input.restriction ?? null,
    })
    .returning(columns)
    .executeTakeFirstOrThrow();
  const refreshToken = await insertRefreshToken(trx, row.id, refreshExpiry(now, expiresAt, lifetimes), now);
  return { session: toSession(row), refreshToken };
}

async function insertRefreshToken(trx: Transaction<Database>, sessionId: string, expiresAt: Date, now: Date) {
  const token = newOpaqueToken('refresh');
  await trx
    .insertInto('auth_refresh_tokens')
    .values({ token_hash: tokenHash(token), session_id: sessionId, created_at: now, expires_at: expiresAt })
    .execute();
  return token;
}

/** The account's sessions that are neither revoked nor past their maximum age. */
const activeSessions = (db: Db, accountId: string, now: Date) =>
  db
    .selectFrom('auth_sessions')
    .select(columns)
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now);

export async function findActiveSession(db: Db, sessionId: string, accountId: string, now: Date) {
  const row = await activeSessions(db, accountId, now).where('id', '=', sessionId).executeTakeFirst();
  return row ? toSession(row) : undefined;
}

export async function listActiveSessions(db: Db, accountId: string, now: Date): Promise<Session[]> {
  const rows = await activeSessions(db, accountId, now).orderBy('last_used_at', 'desc').execute();
  return rows.map(toSession);
}

/**
 * Lifts the restriction of one active session of the account (its password was just changed):
 * the same session goes on, and its next access token (refresh) carries no `rst`. Auth reads the
 * restriction from here at every request, so the lift holds at once.
 */
export async function liftSessionRestriction(db: Db, accountId: string, sessionId: string): Promise<void> {
  await db
    .updateTable('auth_sessions')
    .set({ restriction: null })
    .where('id', '=', sessionId)
    .where('account_id', '=', accountId)
    .where('restriction', 'is not', null)
    .execute();
}

/** Ends one session of the account; false when it is not the account's or already ended. */
export async function revokeSession(db: Db, accountId: string, sessionId: string, reason: string, now: Date) {
  const result = await db
    .updateTable('auth_sessions')
    .set({ revoked_at: now, revoked_reason: reason })
    .where('id', '=', sessionId)
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Ends every session of the account (but `keep`); their refresh tokens die with them. */
export async function revokeAllSessions(
  db: Db,
  accountId: string,
  reason: string,
  now: Date,
  keep?: string,
): Promise<number> {
  let query = db
    .updateTable('auth_sessions')
    .set({ revoked_at: now, revoked_reason: reason })
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null);
  if (keep) query = query.where('id', '!=', keep);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export type RotateResult =
  | { kind: 'rotated'; session: Session; refreshToken: string }
  /** The token was already used: someone holds a copy. The session must die. */
  | { kind: 'reused'; sessionId: string; accountId: string }
  | { kind: 'invalid' };

/**
 * Swaps a refresh token for a new one. The atomic update lets exactly one presentation of a token
 * win; every later one (an attacker's copy, or the owner's after the attacker refreshed) is reuse.
 */
export async function rotateRefreshToken(
  trx: Transaction<Database>,
  token: string,
  context: { ip?: string | undefined; userAgent?: string | undefined },
  now: Date,
  lifetimes: SessionLifetimes,
): Promise<RotateResult> {
  const hash = tokenHash(token);
  const used = await trx
    .updateTable('auth_refresh_tokens')
    .set({ used_at: now })
    .where('token_hash', '=', hash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('session_id')
    .executeTakeFirst();
  if (!used) {
    const known = await trx
      .selectFrom('auth_refresh_tokens as t')
      .innerJoin('auth_sessions as s', 's.id', 't.session_id')
      .select(['s.id', 's.account_id', 's.revoked_at', 't.used_at'])
      .where('t.token_hash', '=', hash)
      .executeTakeFirst();
    if (known?.used_at && !known.revoked_at)
      return { kind: 'reused', sessionId: known.id, accountId: known.account_id };
    return { kind: 'invalid' };
  }
  const row = await trx
    .updateTable('auth_sessions as s')
    .from('auth_accounts as a')
    .set((eb) => ({
      last_used_at: now,
      ip: context.ip ?? eb.ref('s.ip'),
      user_agent: context.userAgent ?? eb.ref('s.user_agent'),
    }))
    .whereRef('a.id', '=', 's.account_id')
    .where('s.id', '=', used.session_id)
    .where('s.revoked_at', 'is', null)
    .where('s.expires_at', '>', now)
    .where('a.status', '=', 'active')
    .returning(columns.map((c) => `s.${c}` as const))
    .executeTakeFirst();
  if (!row) return { kind: 'invalid' };
  const session = toSession(row);
  const refreshToken = await insertRefreshToken(trx, session.id, refreshExpiry(now, session.expiresAt, lifetimes), now);
  return { kind: 'rotated', session, refreshToken };
}
