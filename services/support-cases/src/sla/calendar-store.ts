import type { Database } from '@wallet-guard/db';
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { AROUND_THE_CLOCK, type CalendarSettings, type CalendarSettingsVersion } from './calendar-settings';

type Db = Kysely<Database> | Transaction<Database>;
type VersionRow = Selectable<Database['sla_calendar_versions']>;

/** Stored settings were validated when saved; the row is mapped, not re-validated. */
const toVersion = (row: VersionRow): CalendarSettingsVersion & { note: string | null } => ({
  ...(row.settings as unknown as CalendarSettings),
  version: row.version,
  changedAt: row.changed_at,
  changedBy: row.changed_by,
  note: row.note,
});

/**
 * The settings in force: the latest saved version. The first call on an empty table saves
 * `defaults` (from the configuration) as version 1 by "system", once however many instances race
 * (the version is the primary key), so every case can name the version it was computed with.
 */
export async function currentCalendarSettings(
  db: Db,
  defaults: CalendarSettings,
  now: Date,
): Promise<CalendarSettingsVersion & { note: string | null }> {
  const latest = () =>
    db.selectFrom('sla_calendar_versions').selectAll().orderBy('version', 'desc').limit(1).executeTakeFirst();
  const row = await latest();
  if (row) return toVersion(row);
  await db
    .insertInto('sla_calendar_versions')
    .values({
      version: 1,
      settings: JSON.stringify(defaults),
      changed_by: 'system',
      changed_at: now,
      note: 'Defaults from the configuration',
    })
    .onConflict((oc) => oc.column('version').doNothing())
    .execute();
  const seeded = await latest();
  if (!seeded) throw new Error('sla_calendar_versions is empty right after saving version 1');
  return toVersion(seeded);
}

/** The settings of `version`; null (a case opened before calendars) is every priority 24/7. */
export async function calendarSettingsAt(db: Db, version: number | null): Promise<CalendarSettings> {
  if (version === null) return AROUND_THE_CLOCK;
  const row = await db
    .selectFrom('sla_calendar_versions')
    .selectAll()
    .where('version', '=', version)
    .executeTakeFirstOrThrow();
  return toVersion(row);
}

/** One version with who saved it, or undefined. */
export async function findCalendarVersion(db: Db, version: number) {
  const row = await db
    .selectFrom('sla_calendar_versions')
    .selectAll()
    .where('version', '=', version)
    .executeTakeFirst();
  return row && toVersion(row);
}

/**
 * Saves `settings` as the version after `expectedVersion`, only if that is still the latest:
 * one statement (insert ... select ... where, on the primary key), so of two supervisors saving
 * over the same version exactly one wins. Returns the new version, or null when another change
 * came first (the caller answers 409).
 */
export async function saveCalendarSettings(
  db: Db,
  change: { expectedVersion: number; settings: CalendarSettings; changedBy: string; note: string | null; at: Date },
): Promise<(CalendarSettingsVersion & { note: string | null }) | null> {
  const result = await sql<VersionRow>`
    insert into sla_calendar_versions (version, settings, changed_by, changed_at, note)
    select ${change.expectedVersion + 1}, ${JSON.stringify(change.settings)}::jsonb, ${change.changedBy},
           ${change.at}, ${change.note}
    where (select coalesce(max(version), 0) from sla_calendar_versions) = ${change.expectedVersion}
    on conflict (version) do nothing
    returning *`.execute(db);
  const row = result.rows[0];
  return row ? toVersion(row) : null;
}

/** Saved versions, newest first, before `before` when given (the audit trail of the settings). */
export async function listCalendarVersions(db: Db, page: { limit: number; before?: number | undefined }) {
  let query = db.selectFrom('sla_calendar_versions').selectAll().orderBy('version', 'desc').limit(page.limit);
  if (page.before !== undefined) query = query.where('version', '<', page.before);
  return (await query.execute()).map(toVersion);
}
