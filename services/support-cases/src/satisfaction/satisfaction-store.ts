import type { Database } from '@wallet-guard/db';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { CaseRecord } from '../cases/case-record';

type Db = Kysely<Database> | Transaction<Database>;

export interface RatingRequest {
  caseId: string;
  requestedAt: Date;
  expiresAt: Date;
  rating: number | null;
  comment: string | null;
  answeredAt: Date | null;
}

/**
 * Asks the customer of `c` (just resolved, by `agent`) for a rating until `expiresAt`, in the same
 * transaction as the resolution. A case resolved again after a reopen is asked again (new expiry,
 * the agent who resolved it this time) only when it was never rated: one answer per case, ever.
 * Returns the expiry when the customer is asked, null when the case was rated already.
 */
export async function requestRating(
  trx: Transaction<Database>,
  c: CaseRecord,
  agent: string | null,
  at: Date,
  expiresAt: Date,
): Promise<Date | null> {
  const row = await trx
    .insertInto('case_satisfaction')
    .values({
      case_id: c.id,
      case_type: c.type,
      account_id: c.accountId,
      agent,
      locale: c.locale,
      requested_at: at,
      expires_at: expiresAt,
    })
    .onConflict((oc) =>
      oc
        .column('case_id')
        .doUpdateSet({ agent, locale: c.locale, requested_at: at, expires_at: expiresAt })
        .where('case_satisfaction.answered_at', 'is', null),
    )
    .returning('expires_at')
    .executeTakeFirst();
  return row?.expires_at ?? null;
}

/**
 * Records the answer if the request is still open: one conditional update (`answered_at is null`
 * and not expired), so of any number of concurrent answers exactly one is stored. Returns the
 * stored request, or undefined when nothing was written (the caller finds out why).
 */
export async function answerRating(
  trx: Transaction<Database>,
  answer: { caseId: string; rating: number; comment: string | null; at: Date },
): Promise<RatingRequest | undefined> {
  const row = await trx
    .updateTable('case_satisfaction')
    .set({ rating: answer.rating, comment: answer.comment, answered_at: answer.at })
    .where('case_id', '=', answer.caseId)
    .where('answered_at', 'is', null)
    .where('expires_at', '>', answer.at)
    .returningAll()
    .executeTakeFirst();
  return row && toRequest(row);
}

const toRequest = (row: {
  case_id: string;
  requested_at: Date;
  expires_at: Date;
  rating: number | null;
  comment: string | null;
  answered_at: Date | null;
}): RatingRequest => ({
  caseId: row.case_id,
  requestedAt: row.requested_at,
  expiresAt: row.expires_at,
  rating: row.rating,
  comment: row.comment,
  answeredAt: row.answered_at,
});

/** The rating requests of these cases, by case id (cases never asked are absent). */
export async function ratingRequestsOf(db: Db, caseIds: readonly string[]): Promise<Map<string, RatingRequest>> {
  if (caseIds.length === 0) return new Map();
  const rows = await db.selectFrom('case_satisfaction').selectAll().where('case_id', 'in', caseIds).execute();
  return new Map(rows.map((row) => [row.case_id, toRequest(row)]));
}

interface RatingFigures {
  count: number;
  average: number | null;
  distribution: Record<1 | 2 | 3 | 4 | 5, number>;
}

type FigureRow = { key: string | null; count: string; average: string | null } & Record<
  'r1' | 'r2' | 'r3' | 'r4' | 'r5',
  string
>;

const toFigures = (row: FigureRow | undefined): RatingFigures => ({
  count: Number(row?.count ?? 0),
  // Two decimals are what a supervisor compares; the counts beside it are exact.
  average: row?.average == null ? null : Math.round(Number(row.average) * 100) / 100,
  distribution: {
    1: Number(row?.r1 ?? 0),
    2: Number(row?.r2 ?? 0),
    3: Number(row?.r3 ?? 0),
    4: Number(row?.r4 ?? 0),
    5: Number(row?.r5 ?? 0),
  },
});

/**
 * Ratings answered in `[from, to)`: overall, per agent who resolved the case, and per case type,
 * each with its count, mean and count of every rating. Counted by the database in one statement
 * per grouping.
 */
export async function ratingFigures(
  db: Db,
  range: { from: Date; to: Date },
): Promise<{
  overall: RatingFigures;
  byAgent: (RatingFigures & { agent: string | null })[];
  byCaseType: (RatingFigures & { caseType: string })[];
}> {
  const grouped = async (key: 'agent' | 'case_type' | null) => {
    const keyColumn = key === null ? sql`null::text` : sql.ref(key);
    const result = await sql<FigureRow>`
      select ${keyColumn} as key, count(*) as count, avg(rating) as average,
             count(*) filter (where rating = 1) as r1, count(*) filter (where rating = 2) as r2,
             count(*) filter (where rating = 3) as r3, count(*) filter (where rating = 4) as r4,
             count(*) filter (where rating = 5) as r5
      from case_satisfaction
      where answered_at >= ${range.from} and answered_at < ${range.to}
      ${key === null ? sql`` : sql`group by ${sql.ref(key)} order by ${sql.ref(key)} nulls last`}`.execute(db);
    return result.rows;
  };
  const [overall, byAgent, byCaseType] = await Promise.all([grouped(null), grouped('agent'), grouped('case_type')]);
  return {
    overall: toFigures(overall[0]),
    byAgent: byAgent.map((row) => ({ agent: row.key, ...toFigures(row) })),
    byCaseType: byCaseType.map((row) => ({ caseType: row.key ?? '', ...toFigures(row) })),
  };
}
