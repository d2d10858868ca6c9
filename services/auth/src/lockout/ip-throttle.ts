import type { AuthConfig } from '@wallet-guard/config';
import { ipThrottleKey } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import { type Kysely, sql, type Transaction } from 'kysely';

const WINDOW_MS = 60_000;

/**
 * The client a failure is counted against: the IPv4 address, or the IPv6 prefix of
 * `AUTH_IP_THROTTLE_IPV6_PREFIX` bits, from any spelling of the address (expanded, upper case,
 * IPv4-mapped): `ipThrottleKey` in the contracts. Never throws.
 */
export function ipClient(ip: string, lockout: AuthConfig['lockout']): string {
  return ipThrottleKey(ip, lockout.ipv6ThrottlePrefixBits);
}

/**
 * Seconds until this IP may try again, or null when it may now. Credential stuffing spreads its
 * failures over many accounts, so per-account counters alone never see it.
 */
export async function ipRetryAfter(
  db: Kysely<Database>,
  client: string,
  now: Date,
  limit: number,
): Promise<number | null> {
  const row = await db
    .selectFrom('auth_ip_failures')
    .select(['failures', 'window_started_at'])
    .where('ip', '=', client)
    .executeTakeFirst();
  if (!row) return null;
  const windowEnds = row.window_started_at.getTime() + WINDOW_MS;
  if (windowEnds <= now.getTime() || row.failures < limit) return null;
  return Math.max(1, Math.ceil((windowEnds - now.getTime()) / 1000));
}

/** Counts a failed sign-in against the client (`ipClient`), in a fixed one-minute window. */
export async function recordIpFailure(trx: Transaction<Database>, client: string, now: Date): Promise<void> {
  const windowStart = new Date(now.getTime() - WINDOW_MS);
  await sql`
    insert into auth_ip_failures as f (ip, failures, window_started_at) values (${client}, 1, ${now})
    on conflict (ip) do update set
      failures = case when f.window_started_at > ${windowStart} then f.failures + 1 else 1 end,
      window_started_at = case when f.window_started_at > ${windowStart} then f.window_started_at else ${now} end
  `.execute(trx);
}

export async function pruneIpFailures(db: Kysely<Database>, olderThan: Date): Promise<void> {
  await db.deleteFrom('auth_ip_failures').where('window_started_at', '<', olderThan).execute();
}
