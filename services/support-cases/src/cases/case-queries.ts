import { cursorCodec, cursorInstant } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import { type CaseRecord, toCaseRecord } from './case-record';
import type { CasePriority, CaseStatus, CaseType } from './case-rules';

export interface CaseFilters {
  accountId?: string | undefined;
  status?: CaseStatus[] | undefined;
  priority?: CasePriority[] | undefined;
  type?: CaseType[] | undefined;
  /** An agent's name, or null for unassigned cases. */
  assignee?: string | null | undefined;
  breached?: boolean | undefined;
  queue?: 'agents' | 'supervisors' | undefined;
}

interface Cursor {
  /** next_due_at to the microsecond (a JS Date would drop them and repeat a row), or "infinity". */
  due: string;
  id: string;
}

/** [due, id]: the keyset of `cases_queue`, checked on the way back in (shared codec, see contracts). */
const caseCursor = cursorCodec(z.tuple([z.union([z.literal('infinity'), cursorInstant]), z.uuid()]));

const encodeCursor = (c: Cursor) => caseCursor.encode([c.due, c.id]);

/** Undefined for a cursor we did not issue (the route answers 400). Never throws. */
export function decodeCursor(raw: string): Cursor | undefined {
  const value = caseCursor.decode(raw);
  return value && { due: value[0], id: value[1] };
}

/**
 * The queue: cases by the SLA deadline that comes next (resolved ones last), then by id, with
 * keyset pagination so a page never skips or repeats a case while the queue changes.
 */
export async function listCases(
  db: Kysely<Database>,
  filters: CaseFilters,
  page: { cursor?: Cursor | undefined; limit: number },
): Promise<{ items: CaseRecord[]; nextCursor: string | null }> {
  let query = db
    .selectFrom('cases')
    .selectAll()
    .select(
      sql<string>`coalesce(to_char(next_due_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), 'infinity')`.as(
        'due_exact',
      ),
    );
  if (filters.accountId) query = query.where('account_id', '=', filters.accountId);
  if (filters.status?.length) query = query.where('status', 'in', filters.status);
  if (filters.priority?.length) query = query.where('priority', 'in', filters.priority);
  if (filters.type?.length) query = query.where('type', 'in', filters.type);
  if (filters.queue) query = query.where('queue', '=', filters.queue);
  if (filters.assignee === null) query = query.where('assignee', 'is', null);
  else if (filters.assignee !== undefined) query = query.where('assignee', '=', filters.assignee);
  if (filters.breached !== undefined) {
    const breached = sql<boolean>`(first_response_breached or resolution_breached)`;
    query = query.where(breached, '=', filters.breached);
  }
  const dueKey = sql`coalesce(next_due_at, 'infinity'::timestamptz)`;
  if (page.cursor) {
    query = query.where(sql<boolean>`(${dueKey}, id) > (${page.cursor.due}::timestamptz, ${page.cursor.id}::uuid)`);
  }
  const rows = await query
    .orderBy(dueKey)
    .orderBy('id')
    .limit(page.limit + 1)
    .execute();
  const items = rows.slice(0, page.limit).map(toCaseRecord);
  const last = rows[page.limit - 1];
  const nextCursor = rows.length > page.limit && last ? encodeCursor({ due: last.due_exact, id: last.id }) : null;
  return { items, nextCursor };
}
