import { type SecurityEvent, securityEvent } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import type { Kysely } from 'kysely';

/** One page of an account's security history, newest first; `nextBefore` continues it. */
export async function securityEventsPage(
  db: Kysely<Database>,
  accountId: string,
  page: { before?: string | undefined; limit: number },
  options: { hideTypes?: readonly SecurityEvent['type'][] } = {},
): Promise<{ items: SecurityEvent[]; nextBefore: string | null }> {
  let query = db
    .selectFrom('auth_security_events')
    .select(['id', 'event'])
    .where('account_id', '=', accountId)
    .orderBy('id', 'desc')
    .limit(page.limit + 1);
  if (page.before) query = query.where('id', '<', page.before);
  if (options.hideTypes?.length) query = query.where('type', 'not in', options.hideTypes);
  const rows = await query.execute();
  const items = rows.slice(0, page.limit);
  return {
    // Parsed with the topic's schema: old versions keep parsing, as they do for consumers.
    items: items.map((row) => securityEvent.parse(row.event)),
    nextBefore: rows.length > page.limit ? (items.at(-1)?.id ?? null) : null,
  };
}
