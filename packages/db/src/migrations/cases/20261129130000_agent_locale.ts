import { type Kysely, sql } from 'kysely';

/**
 * The language an agent chose for the console (`PATCH /v1/agents/me`), kept on the server so it
 * follows them to another browser. Null until they choose: the console then goes by the browser's
 * languages. Only the console's languages are stored (the check mirrors `SUPPORTED_LOCALES` of
 * `@wallet-guard/i18n`; a new language widens it in a new migration).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('agents')
    .addColumn('locale', 'text', (col) => col.check(sql`locale in ('en', 'zh-CN')`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('agents').dropColumn('locale').execute();
}
