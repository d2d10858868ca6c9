// Kind 3 (identity compared as text), over the whole range of IP spellings: every spelling of
// one address (expanded, upper case, leading zeros, `::` anywhere it may go, IPv4 as
// `::ffff:a.b.c.d`) parses to one canonical string in every contract that carries an IP, and the
// throttle key is one per IPv4 address and per IPv6 /64 (configurable). The oracle for RFC 5952
// text is the WHATWG URL parser, an independent implementation.
import {
  canonicalIp,
  clientContext,
  ipThrottleKey,
  signInFailed,
  transactionContext,
  walletTransaction,
} from '@wallet-guard/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const group = fc.integer({ min: 0, max: 0xffff });
/** Mostly zero groups, so runs of zeros (and `::`) are common. */
const ipv6Groups = fc.array(fc.oneof(group, fc.constant(0), fc.constant(0)), { minLength: 8, maxLength: 8 });
const ipv4Octets = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 });

const randomCase = (text: string, upper: readonly boolean[]) =>
  [...text].map((c, i) => (upper[i % upper.length] ? c.toUpperCase() : c)).join('');

/** One of the many legal spellings of these eight groups. */
const ipv6Spelling = (groups: readonly number[]) =>
  fc
    .record({
      pad: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
      upper: fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
      // Where to put `::` (a zero run to compress), if anywhere.
      compress: fc.option(fc.nat({ max: 7 }), { nil: undefined }),
    })
    .map(({ pad, upper, compress }) => {
      const hex = groups.map((g, i) => (pad[i] ? g.toString(16).padStart(4, '0') : g.toString(16)));
      let text = hex.join(':');
      if (compress !== undefined && groups[compress] === 0) {
        let end = compress;
        while (end < 8 && groups[end] === 0) end += 1;
        text = `${hex.slice(0, compress).join(':')}::${hex.slice(end).join(':')}`;
      }
      return randomCase(text, upper);
    });

const whatwgIpv6 = (groups: readonly number[]) =>
  new URL(`http://[${groups.map((g) => g.toString(16)).join(':')}]/`).hostname.slice(1, -1);
const isMapped = (groups: readonly number[]) => groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;

describe('IP canonicalisation (property-based)', () => {
  it('gives every spelling of an IPv6 address the RFC 5952 text, the same in every contract', () => {
    fc.assert(
      fc.property(
        ipv6Groups.filter((g) => !isMapped(g)),
        fc.context(),
        (groups, ctx) => {
          const expected = whatwgIpv6(groups);
          return fc.assert(
            fc.property(ipv6Spelling(groups), (spelling) => {
              ctx.log(spelling);
              expect(canonicalIp(spelling)).toBe(expected);
              expect(clientContext.parse({ ip: spelling }).ip).toBe(expected);
              expect(transactionContext.parse({ ip: spelling }).ip).toBe(expected);
            }),
            { numRuns: 5 },
          ) as unknown as boolean;
        },
      ),
      { numRuns: 300 },
    );
  });

  it('turns an IPv4-mapped IPv6 address, in any spelling, into the IPv4 address', () => {
    fc.assert(
      fc.property(ipv4Octets, fc.boolean(), fc.boolean(), fc.boolean(), (octets, dotted, expanded, upper) => {
        const v4 = octets.join('.');
        const low = ((octets[2] as number) << 8) | (octets[3] as number);
        const high = ((octets[0] as number) << 8) | (octets[1] as number);
        const tail = dotted ? v4 : `${high.toString(16)}:${low.toString(16)}`;
        const head = expanded ? '0000:0000:0000:0000:0000:ffff:' : '::ffff:';
        const spelling = upper ? `${head}${tail}`.toUpperCase() : `${head}${tail}`;
        expect(canonicalIp(spelling)).toBe(v4);
        expect(canonicalIp(v4)).toBe(v4);
        expect(clientContext.parse({ ip: spelling }).ip).toBe(v4);
        expect(ipThrottleKey(spelling, 64)).toBe(v4);
      }),
      { numRuns: 500 },
    );
  });

  it('is idempotent and its output is a valid address', () => {
    fc.assert(
      fc.property(
        ipv6Groups.chain((g) => ipv6Spelling(g)),
        (spelling) => {
          const once = canonicalIp(spelling);
          expect(canonicalIp(once)).toBe(once);
          expect(clientContext.safeParse({ ip: once }).success).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('keys the throttle per IPv6 prefix: one key for a whole /64, another for any other /64', () => {
    fc.assert(
      fc.property(
        ipv6Groups,
        fc.array(group, { minLength: 4, maxLength: 4 }),
        fc.nat({ max: 3 }),
        fc.integer({ min: 1, max: 0xffff }),
        (groups, otherHost, flipGroup, flip) => {
          fc.pre(!isMapped(groups));
          const sameNet = [...groups.slice(0, 4), ...otherHost];
          fc.pre(!isMapped(sameNet));
          const a = whatwgIpv6(groups);
          const b = randomCase(whatwgIpv6(sameNet), [true, false]);
          expect(ipThrottleKey(a, 64)).toBe(ipThrottleKey(b, 64));
          expect(ipThrottleKey(a, 64)).toMatch(/\/64$/);
          const otherNet = [...groups];
          otherNet[flipGroup] = ((otherNet[flipGroup] as number) ^ flip) & 0xffff;
          fc.pre(!isMapped(otherNet));
          expect(ipThrottleKey(whatwgIpv6(otherNet), 64)).not.toBe(ipThrottleKey(a, 64));
          // 128 bits: every address counts alone, in any spelling.
          expect(ipThrottleKey(b, 128)).toBe(`${whatwgIpv6(sameNet)}/128`);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('canonicalises the IP of every event that carries one (security events, wallet transactions)', () => {
    const failed = signInFailed.parse({
      eventId: '7f1d2c3b-4a5e-4f60-8b7c-9d0e1f2a3b4c',
      type: 'sign_in.failed',
      version: 1,
      occurredAt: '2026-11-29T10:00:00.000Z',
      producer: 'auth',
      accountId: '0b9f3a6e-2c1d-4e5f-8a7b-6c5d4e3f2a1b',
      payload: { reason: 'wrong_password', failures: 1, context: { ip: '::FFFF:198.51.100.7', deviceId: ' phone-1 ' } },
    });
    expect(failed.payload.context).toMatchObject({ ip: '198.51.100.7', deviceId: 'phone-1' });
    const tx = walletTransaction.parse({
      transactionId: 't-1',
      accountId: '0b9f3a6e-2c1d-4e5f-8a7b-6c5d4e3f2a1b',
      type: 'payment',
      amountMinor: '100',
      currency: 'EUR',
      context: { ip: '2001:0DB8:0000:0000:0000:0000:0000:0001', deviceId: 'phone-1\t' },
      occurredAt: '2026-11-29T10:00:00.000Z',
    });
    expect(tx.context).toMatchObject({ ip: '2001:db8::1', deviceId: 'phone-1' });
  });
});
