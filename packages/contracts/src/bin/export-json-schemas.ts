// Writes one JSON Schema file per topic: `pnpm --filter @wallet-guard/contracts export-schemas [dir]`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { eventJsonSchemas } from '../json-schema';

const outDir = resolve(process.argv[2] ?? 'schemas');
mkdirSync(outDir, { recursive: true });
for (const [topic, schema] of Object.entries(eventJsonSchemas())) {
  const file = join(outDir, `${topic}.schema.json`);
  writeFileSync(file, `${JSON.stringify(schema, null, 2)}\n`);
  process.stdout.write(`${file}\n`);
}
