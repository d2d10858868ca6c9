// Helpers for this package's tests (not exported from the package).
import { randomUUID } from 'node:crypto';
import { createEvent, type EventOf, TOPICS } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import type { EventHandler } from '@wallet-guard/messaging';
import { createLogger } from '@wallet-guard/observability';
import type { ReceivedMessage } from '@wallet-guard/testing';
import { type Kysely, sql } from 'kysely';

export const silentLogger = createLogger({ service: 'test', level: process.env.TEST_LOG_LEVEL ?? 'silent' });

export function passwordChangedEvent(accountId: string = randomUUID()): EventOf<typeof TOPICS.securityEvents> {
  return createEvent(TOPICS.securityEvents, {
    type: 'password.changed',
    version: 1,
    producer: 'auth',
    accountId,
    payload: { context: { ip: '203.0.113.7' } },
  });
}

/** A scratch table the test handler writes to: a duplicate apply would violate its key. */
export async function createEffectsTable(db: Kysely<Database>): Promise<void> {
  await sql`create table if not exists test_effects (event_id uuid primary key, account_id uuid not null)`.execute(db);
}

/** Event ids applied so far, optionally only one account's (test files share their topics). */
export async function effects(db: Kysely<Database>, accountId?: string): Promise<string[]> {
  const { rows } = accountId
    ? await sql<{ event_id: string }>`select event_id from test_effects where account_id = ${accountId}`.execute(db)
    : await sql<{ event_id: string }>`select event_id from test_effects`.execute(db);
  return rows.map((r) => r.event_id);
}

/** A handler that records each applied event in `test_effects` inside the inbox transaction. */
export function recordingHandler(group: string): EventHandler<typeof TOPICS.securityEvents> {
  return {
    group,
    topic: TOPICS.securityEvents,
    async handle(trx, events) {
      for (const { event } of events) {
        await sql`insert into test_effects (event_id, account_id) values (${event.eventId}, ${event.accountId})`.execute(
          trx,
        );
      }
    },
  };
}

/** The eventId of a received record, or null when it is not an event (tests share topics with garbage). */
export function eventIdOf(message: ReceivedMessage): string | null {
  try {
    return message.json<{ eventId?: string }>().eventId ?? null;
  } catch {
    return null;
  }
}
