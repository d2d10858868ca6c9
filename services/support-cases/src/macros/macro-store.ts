import type { MACRO_SET_STATUSES } from '@wallet-guard/contracts';
import type { Database } from '@wallet-guard/db';
import type { SupportedLocale } from '@wallet-guard/i18n';
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';

type Db = Kysely<Database> | Transaction<Database>;
type VersionRow = Selectable<Database['case_macro_versions']>;

/** The status a macro moves a case to when its reply is sent: moves agents make with POST /status. */
export type MacroStatus = (typeof MACRO_SET_STATUSES)[number];

/** What a supervisor saves: a name, the reply per language, what sending it does to the case. */
export interface MacroContent {
  name: string;
  texts: Partial<Record<SupportedLocale, string>>;
  setStatus: MacroStatus | null;
  visibility: 'internal' | 'public';
}

/** One saved version of a macro. */
export interface MacroVersion extends MacroContent {
  id: string;
  version: number;
  deleted: boolean;
  /** "agent:<name>" (a supervisor). */
  changedBy: string;
  changedAt: Date;
}

/** Stored texts were validated when saved; the row is mapped, not re-validated. */
const toVersion = (row: VersionRow): MacroVersion => ({
  id: row.macro_id,
  version: row.version,
  name: row.name,
  texts: row.texts as MacroContent['texts'],
  setStatus: row.set_status as MacroStatus | null,
  visibility: row.visibility as MacroContent['visibility'],
  deleted: row.deleted,
  changedBy: row.changed_by,
  changedAt: row.changed_at,
});

/** Every macro in use (its latest version, unless that deleted it), by name. */
export async function listMacros(db: Db): Promise<MacroVersion[]> {
  const rows = await db
    .selectFrom('case_macro_versions')
    .selectAll()
    .distinctOn('macro_id')
    .orderBy('macro_id')
    .orderBy('version', 'desc')
    .execute();
  return rows
    .map(toVersion)
    .filter((m) => !m.deleted)
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/** The latest version of a macro, deleted or not; undefined when it never existed. */
export async function latestMacroVersion(db: Db, id: string): Promise<MacroVersion | undefined> {
  const row = await db
    .selectFrom('case_macro_versions')
    .selectAll()
    .where('macro_id', '=', id)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && toVersion(row);
}

/** A macro in use: its latest version, or undefined when there is none or it was deleted. */
export async function findMacro(db: Db, id: string): Promise<MacroVersion | undefined> {
  const latest = await latestMacroVersion(db, id);
  return latest && !latest.deleted ? latest : undefined;
}

/** Every version of a macro, newest first: who created, changed and deleted it, and when. */
export async function listMacroVersions(db: Db, id: string): Promise<MacroVersion[]> {
  const rows = await db
    .selectFrom('case_macro_versions')
    .selectAll()
    .where('macro_id', '=', id)
    .orderBy('version', 'desc')
    .execute();
  return rows.map(toVersion);
}

/**
 * Saves `content` as the version after `expectedVersion` (0 for a new macro), only if that is
 * still the latest: one statement (insert ... select ... where, on the primary key), so of two
 * supervisors saving over the same version exactly one wins. Returns the saved version, or null
 * when another change came first (the caller answers 409).
 */
export async function saveMacroVersion(
  db: Db,
  change: {
    id: string;
    expectedVersion: number;
    content: MacroContent;
    deleted: boolean;
    changedBy: string;
    at: Date;
  },
): Promise<MacroVersion | null> {
  const { id, expectedVersion, content } = change;
  const result = await sql<VersionRow>`
    insert into case_macro_versions
      (macro_id, version, name, texts, set_status, visibility, deleted, changed_by, changed_at)
    select ${id}::uuid, ${expectedVersion + 1}, ${content.name}, ${JSON.stringify(content.texts)}::jsonb,
           ${content.setStatus}, ${content.visibility}, ${change.deleted}, ${change.changedBy}, ${change.at}
    where (select coalesce(max(version), 0) from case_macro_versions where macro_id = ${id}::uuid) = ${expectedVersion}
    on conflict (macro_id, version) do nothing
    returning *`.execute(db);
  const row = result.rows[0];
  return row ? toVersion(row) : null;
}
