// The scanner the suite's teardown runs over every captured log line: it must find each kind of
// secret we hand out, name line and kind without repeating the secret, and leave ordinary log
// lines alone. And the capture itself must receive what services under test log.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authConfigSchema, parseConfig } from '@wallet-guard/config';
import { createLogger } from '@wallet-guard/observability';
import { createTestDatabase, noteSecretsIn, TEST_LOG_FILE, TEST_SECRETS_FILE, testEnv } from '@wallet-guard/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { agentToken } from './callers';
import { describeFindings, scanLogFile, secretsIn } from './secret-scanner';

const dir = mkdtempSync(join(tmpdir(), 'wg-scanner-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base32 = (bytes: Buffer) => {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const b of bytes) bits += b.toString(2).padStart(8, '0');
  return (bits.match(/.{1,5}/g) ?? []).map((c) => alphabet[Number.parseInt(c.padEnd(5, '0'), 2)]).join('');
};
const crockford = () =>
  Array.from(randomBytes(10), (b) => '0123456789abcdefghjkmnpqrstvwxyz'[b % 32])
    .join('')
    .replace(/^(.{5})/, '$1-');
const line = (fields: Record<string, unknown>) =>
  JSON.stringify({ level: 30, time: Date.now(), service: 'auth', reqId: randomUUID(), ...fields });

describe('the secret scanner', () => {
  it('finds every kind of secret, wherever it sits in a line', async () => {
    const totp = base32(randomBytes(20));
    const planted: [kind: RegExp, text: string][] = [
      [/JWT/, line({ msg: `verifying Bearer ${await agentToken('ada', 'agent')}` })],
      [/opaque token/, line({ msg: 'refresh', detail: `rt_${randomBytes(32).toString('base64url')}` })],
      [/opaque token/, line({ err: { message: `no such ul_${randomBytes(32).toString('base64url')}` } })],
      [/opaque token/, line({ note: `mf_${randomBytes(32).toString('base64url')}` })],
      [/development API key/, line({ msg: 'caller used dev-wallet-key' })],
      [
        /development API key/,
        line({
          msg: 'auth: NO API KEYS CONFIGURED - the development keys "dev-wallet-key" and "dev-internal-key" are accepted.',
          header: 'dev-internal-key',
        }),
      ],
      [/API key \(wg_\)/, line({ header: `wg_${randomBytes(32).toString('base64url')}` })],
      [/TOTP secret/, line({ msg: `enrolled with ${totp}` })],
      [/otpauth URI/, line({ uri: `otpauth://totp/Wallet:ada%40example.com?secret=${totp}&issuer=Wallet` })],
      [/recovery code/, line({ msg: `used ${crockford()}` })],
      [/6-digit code under "totpCode"/, line({ body: { totpCode: '492039' } })],
      [/6-digit code under "code"/, line({ code: '000123' })],
      [/unredacted value under "password"/, line({ body: { password: 'Quill-hunter2-harbour' } })],
      [/unredacted value under "newPassword"/, line({ newPassword: 'x' })],
      [/unredacted value under "refreshToken"/, line({ refreshToken: 'abc' })],
      [/unredacted value under "x-api-key"/, line({ headers: { 'x-api-key': 'k' } })],
      [/private key \(PEM\)/, line({ msg: '-----BEGIN PRIVATE KEY-----\\nMC4CAQAwBQYDK2VwBCIEI...' })],
      [/private key \(JWK/, line({ jwk: { kty: 'OKP', d: randomBytes(32).toString('base64url') } })],
    ];
    for (const [kind, text] of planted) {
      expect([text.slice(0, 60), secretsIn(text).some((k) => kind.test(k))]).toEqual([text.slice(0, 60), true]);
    }
  });

  it('leaves ordinary log lines alone', () => {
    const clean = [
      line({ msg: 'incoming request', req: { method: 'POST', url: '/v1/sessions?token=[redacted]' } }),
      line({ msg: 'request completed', res: { statusCode: 401 }, responseTime: 12.5 }),
      line({ err: { code: 'AUTH_INVALID_CREDENTIALS', statusCode: 401 }, password: '[redacted]' }),
      line({ code: 'ECONNREFUSED', dlq: { code: 'schema_violation' }, errorCode: '23505' }),
      line({ accountId: randomUUID(), caseNumber: 'CASE-000123', at: new Date().toISOString() }),
      line({ topic: 't1a2b3c4.auth.security-events.v1', group: 'support-cases.security-events' }),
      line({ msg: 'account locked', failures: 5, lockedUntil: null, port: 123456 }),
      line({ msg: 'rules loaded', version: '2026-11-01', kid: 'dev-88abf7e60210' }),
      line({ msg: 'consumer joined', memberId: `tests-${randomUUID()}`, tokenCount: 3 }),
      // README command 1: the start-up log names the (public) development keys when no keys are set.
      line({
        msg: 'auth: NO API KEYS CONFIGURED - the development keys "dev-wallet-key" and "dev-internal-key" are accepted. Never run like this in production.',
      }),
    ];
    for (const text of clean) expect([text, secretsIn(text)]).toEqual([text, []]);
  });

  it('reports file lines and kinds, never the secret itself', async () => {
    const file = join(dir, 'capture.jsonl');
    const secret = `rs_${randomBytes(32).toString('base64url')}`;
    writeFileSync(file, [line({ msg: 'fine' }), line({ msg: `reset ${secret}` }), 'not json at all', ''].join('\n'));
    const { lines, findings } = await scanLogFile(file);
    expect(lines).toBe(3);
    expect(findings).toEqual([{ line: 2, kind: 'opaque token (rt_/rs_/ul_/fz_/mf_)' }]);
    const report = describeFindings(file, findings);
    expect(report).toContain(`${file}:2: opaque token`);
    expect(report).not.toContain(secret);
  });

  it('finds the exact secrets the tests created, under any key and anywhere in a line', async () => {
    const password = `Quill-${randomBytes(9).toString('base64url')}-harbour`;
    const code = crockford();
    const file = join(dir, 'known.jsonl');
    writeFileSync(
      file,
      [
        line({ msg: 'fine' }),
        line({ note: password }), // a key no pattern knows, a value no pattern knows
        line({ msg: `tried ${password}!` }),
        line({ url: `/v1/x?q=${password}` }),
        line({ msg: `xQuill${password}` }), // not the secret: glued to other text on its left
        line({ hint: code }),
      ].join('\n'),
    );
    const { findings } = await scanLogFile(file, new Set([password, code]));
    expect(findings.filter((f) => f.kind.startsWith('a password')).map((f) => f.line)).toEqual([2, 3, 4, 6]);
    expect(describeFindings(file, findings)).not.toContain(password);
    // Without the noted secrets the password under an unknown key goes unseen: the reason to note them.
    expect((await scanLogFile(file)).findings.map((f) => f.line)).toEqual([6]);
  });

  it.runIf(TEST_SECRETS_FILE)('notes secrets of requests and answers, not dates, ids or codes of errors', () => {
    const password = `Quill-${randomBytes(9).toString('base64url')}-harbour`;
    const refreshToken = `rt_${randomBytes(32).toString('base64url')}`;
    const recovery = [crockford(), crockford()];
    noteSecretsIn(
      JSON.stringify({
        password,
        session: { refreshToken, tokenType: 'Bearer', passwordChangedAt: new Date().toISOString() },
        recoveryCodes: recovery,
        resetTokenId: randomUUID(),
        error: { code: 'AUTH_INVALID_TOKEN' },
      }),
    );
    const noted = readFileSync(TEST_SECRETS_FILE as string, 'utf8').split('\n');
    for (const secret of [password, refreshToken, ...recovery]) expect(noted).toContain(secret);
    expect(noted.filter((n) => /^\d{4}-|^Bearer$|^AUTH_|^[0-9a-f]{8}-[0-9a-f]{4}-/.test(n))).toEqual([]);
  });
});

describe('LOG_FILE', () => {
  it('sends a logger to the file instead of stdout, appending', () => {
    const file = join(dir, 'service.log');
    writeFileSync(file, 'earlier line\n');
    const config = parseConfig(authConfigSchema, { NODE_ENV: 'test', LOG_FILE: file, LOG_LEVEL: 'debug' });
    const logger = createLogger({ service: 'auth', level: config.logLevel, file: config.logFile });
    logger.debug({ password: 'Quill-hunter2-harbour' }, 'written to the file');
    const written = readFileSync(file, 'utf8').split('\n');
    expect(written[0]).toBe('earlier line');
    expect(JSON.parse(written[1] as string)).toMatchObject({ msg: 'written to the file', password: '[redacted]' });
  });

  it.runIf(TEST_LOG_FILE)('is where services under test write while the run captures logs', async () => {
    const db = await createTestDatabase();
    try {
      const env = testEnv(db);
      expect([env.LOG_FILE, env.LOG_LEVEL]).toEqual([TEST_LOG_FILE, 'debug']);
      const marker = `capture-check-${randomUUID()}`;
      createLogger({ service: 'auth', level: 'debug', file: env.LOG_FILE }).debug({ marker }, 'capture check');
      expect(readFileSync(TEST_LOG_FILE as string, 'utf8')).toContain(marker);
    } finally {
      await db.drop();
    }
  });
});
