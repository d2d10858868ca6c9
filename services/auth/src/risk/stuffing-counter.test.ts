import { createTestDatabase, type TestDatabase } from '@wallet-guard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countSourceAttempts, pruneRiskTables, stuffingSources } from './risk-store';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ poolMax: 10 });
});
afterAll(async () => {
  await db.drop();
});

const now = new Date('2026-11-30T12:00:00Z');
const windowStart = new Date(now.getTime() - 900_000);

describe('the credential-stuffing counter', () => {
  it('derives the sources: the address, its IPv6 /64, the device', () => {
    expect(stuffingSources({ ip: '192.0.2.1', deviceId: 'd1' }, 64)).toEqual([
      { kind: 'ip', key: 'ip:192.0.2.1' },
      { kind: 'device', key: 'device:d1' },
    ]);
    expect(stuffingSources({ ip: '2001:db8:1:2:3:4:5:6' }, 64)).toEqual([
      { kind: 'ip', key: 'ip:2001:db8:1:2:3:4:5:6' },
      { kind: 'ipv6Prefix', key: 'net:2001:db8:1:2::/64' },
    ]);
    expect(stuffingSources({}, 64)).toEqual([]);
  });

  it('loses no attempt under concurrency: 40 accounts at once from one IP are 40, the same account twice is one', async () => {
    const sources = stuffingSources({ ip: '192.0.2.200' }, 64);
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => countSourceAttempts(db.db, sources, `key-${i}`, now, windowStart)),
    );
    await Promise.all(Array.from({ length: 10 }, () => countSourceAttempts(db.db, sources, 'key-0', now, windowStart)));
    expect(await countSourceAttempts(db.db, sources, 'key-40', now, windowStart)).toEqual({ ip: 41 });
    expect(await countSourceAttempts(db.db, sources, 'key-0', now, windowStart)).toEqual({ ip: 41 });
  });

  it('counts only the window, and housekeeping deletes what fell out of it', async () => {
    const sources = stuffingSources({ deviceId: 'old-rig' }, 64);
    const before = new Date(now.getTime() - 3_600_000);
    for (let i = 0; i < 5; i++) await countSourceAttempts(db.db, sources, `old-${i}`, before, windowStart);
    expect(await countSourceAttempts(db.db, sources, 'new-0', now, windowStart)).toEqual({ device: 1 });
    await pruneRiskTables(db.db, { attemptsBefore: windowStart, suspicionsBefore: windowStart });
    const left = await db.db
      .selectFrom('auth_risk_source_attempts')
      .select('email_key')
      .where('source', '=', 'device:old-rig')
      .execute();
    expect(left).toEqual([{ email_key: 'new-0' }]);
  });
});
