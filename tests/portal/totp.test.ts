// The journeys' own TOTP against RFC 6238's SHA-1 test vectors (appendix B; the last six digits).
import { describe, expect, it } from 'vitest';
import { timeStep, totpAt } from './totp';

/** "12345678901234567890" in base32. */
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('totpAt', () => {
  it.each([
    [59, '287082'],
    [1111111109, '081804'],
    [1111111111, '050471'],
    [1234567890, '005924'],
    [2000000000, '279037'],
    [20000000000, '353130'],
  ])('at %i s is %s', (seconds, code) => {
    expect(totpAt(RFC_SECRET, timeStep(seconds * 1000))).toBe(code);
  });
});
