import { describe, expect, it } from 'vitest';
import { runReadinessChecks } from './health';
import { REDACTED, redactSecrets, redactUrl } from './redact';

describe('redactSecrets', () => {
  it('hides passwords, tokens, secrets, codes and authorization at any depth', () => {
    const input = {
      email: 'ada@example.com',
      password: 'correct horse battery staple',
      body: { newPassword: 'x', context: { ip: '1.2.3.4' }, totpCode: '123456', recoveryCode: 'abcde-fghij' },
      list: [{ refreshToken: 'r' }, { accessToken: 'a' }],
      headers: { authorization: 'Bearer abc', 'x-api-key': 'k' },
      secret: 's',
      mfaToken: 'm',
    };
    const out = redactSecrets(input) as typeof input;
    expect(out.email).toBe('ada@example.com');
    expect(out.body.context.ip).toBe('1.2.3.4');
    for (const value of [
      out.password,
      out.body.newPassword,
      out.body.totpCode,
      out.body.recoveryCode,
      out.list[0]?.refreshToken,
      out.list[1]?.accessToken,
      out.headers.authorization,
      out.headers['x-api-key'],
      out.secret,
      out.mfaToken,
    ]) {
      expect(value).toBe(REDACTED);
    }
    expect(input.password).toBe('correct horse battery staple');
  });

  it('keeps error codes (upper-case constants, errno names, SQLSTATEs) readable', () => {
    const out = redactSecrets({
      code: 'AUTH_INVALID_CREDENTIALS',
      err: { code: 'ECONNREFUSED' },
      pg: { code: '23505' },
    });
    expect(out).toEqual({ code: 'AUTH_INVALID_CREDENTIALS', err: { code: 'ECONNREFUSED' }, pg: { code: '23505' } });
    expect(redactSecrets({ code: '123456' })).toEqual({ code: REDACTED });
  });

  it('redacts secret query parameters in URLs', () => {
    expect(redactUrl('/v1/x?token=abc&page=2')).toBe(`/v1/x?token=${encodeURIComponent(REDACTED)}&page=2`);
    expect(redactUrl('/v1/x?page=2')).toBe('/v1/x?page=2');
  });
});

describe('runReadinessChecks', () => {
  it('is ready only when every check passes, and names the failing one with a short reason', async () => {
    expect(await runReadinessChecks({ database: async () => undefined })).toEqual({
      status: 'ready',
      checks: { database: { ok: true } },
    });
    const report = await runReadinessChecks(
      {
        database: async () => undefined,
        kafka: async () => {
          throw new Error('connect ECONNREFUSED 127.0.0.1:9');
        },
        slow: () => new Promise(() => undefined),
      },
      100,
    );
    expect(report.status).toBe('not_ready');
    expect(report.checks.kafka).toEqual({ ok: false, error: 'connect ECONNREFUSED 127.0.0.1:9' });
    expect(report.checks.slow).toEqual({ ok: false, error: 'no answer within 100 ms' });
    expect(report.checks.database).toEqual({ ok: true });
  });
});
