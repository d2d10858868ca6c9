// `pnpm migrate [latest|down|status]`: runs against DATABASE_URL, or the embedded database in DATA_DIR.
import { migrateDown, migrateToLatest, migrationStatus } from '../migrate';
import { openDatabase } from '../open-database';

const command = process.argv[2] ?? 'latest';
if (!['latest', 'down', 'status'].includes(command)) {
  process.stderr.write('usage: migrate [latest|down|status]\n');
  process.exit(2);
}

const dataDir = process.env.DATA_DIR ?? '.data';
const handle = await openDatabase({
  url: process.env.DATABASE_URL || undefined,
  dataDir: dataDir === ':memory:' ? dataDir : `${dataDir}/pglite`,
});
try {
  process.stdout.write(`database: ${handle.location}\n`);
  if (command === 'status') {
    for (const m of await migrationStatus(handle.db)) {
      process.stdout.write(`${m.executedAt ? 'applied' : 'pending'}  ${m.name}\n`);
    }
  } else {
    const done = command === 'down' ? await migrateDown(handle.db) : await migrateToLatest(handle.db);
    process.stdout.write(done.length ? `${done.join('\n')}\n` : 'nothing to do\n');
  }
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await handle.close();
}
