import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';

/**
 * Records the SQL statements a piece of work sends to Postgres, for tests whose promise is about
 * work done ("the same statements for an unknown email and a wrong password") rather than time.
 * Only statements issued from inside `fn` (its async continuations included, so the request a
 * test injects) are recorded; a relay polling the outbox meanwhile is not.
 */
const recording = new AsyncLocalStorage<string[]>();
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  // Every pooled connection of every `openDatabase` handle is a pg.Client: one patch sees them all.
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function recordedQuery(this: pg.Client, ...args: unknown[]) {
    const sink = recording.getStore();
    if (sink) {
      const [first] = args;
      const text = typeof first === 'string' ? first : (first as { text?: unknown } | undefined)?.text;
      if (typeof text === 'string') sink.push(text);
    }
    return query.apply(this, args);
  } as typeof pg.Client.prototype.query;
}

/**
 * Runs `fn` and returns what it resolved to with the statements (SQL text, no values) it sent, in
 * order. `fn` gets the live list, to copy it at a moment of its choosing (when an answer arrives,
 * before the work done after answering).
 */
export async function recordStatements<T>(
  fn: (soFar: readonly string[]) => Promise<T>,
): Promise<{ result: T; statements: string[] }> {
  install();
  const statements: string[] = [];
  const result = await recording.run(statements, () => fn(statements));
  return { result, statements };
}
