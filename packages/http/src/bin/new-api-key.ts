// Prints a new API key and the config entry that accepts it:
//   pnpm api-key --name wallet-backend --scopes wallet
// Give the key to the caller; put only the entry (which holds its hash) in *_API_KEYS.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { sha256Hex } from '@wallet-guard/config';

const { values } = parseArgs({
  options: { name: { type: 'string' }, scopes: { type: 'string', default: 'wallet' } },
});
const name = values.name ?? '';
const scopes = values.scopes ?? '';
if (!/^[A-Za-z0-9_.-]+$/.test(name) || !/^[a-z]+(\+[a-z]+)*$/.test(scopes)) {
  process.stderr.write('usage: api-key --name <caller-name> --scopes <scope>[+<scope>...]\n');
  process.exit(2);
}
const key = `wg_${randomBytes(32).toString('base64url')}`;
process.stdout.write(`key (give to the caller, shown once): ${key}\n`);
process.stdout.write(`config entry (append to *_API_KEYS):  ${name}:${scopes}:${sha256Hex(key)}\n`);
