import { isTransientDbError, openDatabase } from '@wallet-guard/db';
import { createTestDatabase, type TestDatabase, waitFor } from '@wallet-guard/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase({ poolMax: 2 });
});
afterAll(() => test.drop());

// Found by the Postgres restart fault test (tests/faults): auth went down when the server ended a
// connection that a transaction held between two statements (an uncaught 'error' event).
it('survives the server ending a connection a transaction holds between statements, and reconnects', async () => {
  const errors: Error[] = [];
  const handle = await openDatabase({ url: test.url, poolMax: 2, onConnectionError: (e) => errors.push(e) });
  try {
    const transaction = handle.db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
      await sql`select pg_terminate_backend(${rows[0]?.pid})`.execute(test.db);
      await waitFor(() => errors.length > 0, { what: 'the connection error reported' });
      await sql`select 1`.execute(trx);
    });
    const failure = await transaction.then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isTransientDbError(failure)).toBe(true);
    // The server says why (57P01), then the socket closes: both reported, neither thrown.
    expect((errors[0] as Error & { code?: string }).code).toBe('57P01');
    // The broken connection left the pool: the next statements get a fresh one.
    for (let i = 0; i < 4; i++) {
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(handle.db);
      expect(rows).toEqual([{ one: 1 }]);
    }
  } finally {
    await handle.close();
  }
});
