import { randomUUID } from 'node:crypto';
import { createLogger } from '@wallet-guard/observability';
import { createTestDatabase, TEST_LOG_FILE, type TestDatabase, testLogLevel, waitFor } from '@wallet-guard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestFreezes } from './freeze-requests-repo';
import { type AuthFreezeCall, startFreezeWorker } from './freeze-worker';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const row = (accountId: string) =>
  db.db.selectFrom('monitor_freeze_requests').selectAll().where('account_id', '=', accountId).executeTakeFirstOrThrow();
/** The account's request once `ready` holds for it. */
const rowWhen = async (accountId: string, ready: (r: Awaited<ReturnType<typeof row>>) => boolean) => {
  const r = await row(accountId);
  return ready(r) ? r : undefined;
};

describe('the freeze worker on the injected clock', () => {
  it('retries a failed freeze only once its clock passes the backoff, and dates the outcome by it', async () => {
    let now = new Date('2026-11-20T12:00:00.000Z');
    const clock = () => now;
    const retried = randomUUID();
    const other = randomUUID();
    const calls: string[] = [];
    let failNext = true;
    // Auth fails the first call for `retried` (503), then accepts everything (204).
    const auth: AuthFreezeCall = {
      async freezeAccount({ params: { id } }) {
        calls.push(id);
        if (id === retried && failNext) {
          failNext = false;
          return {
            outcome: 'unavailable',
            service: 'auth',
            reason: 'server_error',
            status: 503,
            message: 'auth failed (503)',
          };
        }
        return { outcome: 'ok', status: 204, body: undefined };
      },
    };
    const insert = (accountId: string) =>
      db.db
        .transaction()
        .execute((trx) => requestFreezes(trx, [{ accountId, flagId: randomUUID(), reason: 'test' }], now));

    await insert(retried);
    const stop = startFreezeWorker({
      db: db.db,
      auth,
      clock,
      logger: createLogger({ service: 'transaction-monitor', level: testLogLevel(), file: TEST_LOG_FILE }),
      pollIntervalMs: 20,
    });
    try {
      const first = await waitFor(() => rowWhen(retried, (r) => r.last_error !== null), {
        what: 'the first attempt recorded as a retry',
      });
      expect(first).toMatchObject({ status: 'pending', attempts: 1, last_error: 'auth answered 503' });
      // Backoff of the first retry: between 0.5 and 1 s, counted from the clock, not the wall.
      const delay = first.next_attempt_at.getTime() - now.getTime();
      expect(delay).toBeGreaterThanOrEqual(500);
      expect(delay).toBeLessThanOrEqual(1_000);

      // A later request is served by a later round; the retried one is not due on the unmoved clock.
      await insert(other);
      await waitFor(() => rowWhen(other, (r) => r.status === 'done'), { what: 'the other account frozen' });
      expect(calls.filter((c) => c === retried)).toHaveLength(1);

      now = new Date(now.getTime() + 1_000);
      const done = await waitFor(() => rowWhen(retried, (r) => r.status === 'done'), {
        what: 'the retry done once the clock moved',
      });
      expect(done).toMatchObject({ attempts: 2, completed_at: now });
      expect(calls.filter((c) => c === retried)).toHaveLength(2);
    } finally {
      await stop();
    }
  });
});
