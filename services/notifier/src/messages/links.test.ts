import { PORTAL_PATHS } from '@wallet-guard/contracts';
import { describe, expect, it } from 'vitest';
import { portalLinks } from './links';
import type { MessageError } from './render-errors';

const token = 'ul_8sJ2kQ9vX1mN4pR7tY0wZ3bC6dF';

describe('portalLinks', () => {
  it('puts single-use tokens in the fragment only', () => {
    const links = portalLinks('http://localhost:4005');
    expect(links.unlock(token)).toBe(`http://localhost:4005${PORTAL_PATHS.unlock}#token=${token}`);
    expect(links.resetPassword(token)).toBe(`http://localhost:4005/reset-password#token=${token}`);
    expect(links.freeze(token)).toBe(`http://localhost:4005/freeze#token=${token}`);
    for (const link of [links.unlock(token), links.resetPassword(token), links.freeze(token)]) {
      const url = new URL(link);
      expect(url.search).toBe('');
      expect(new URLSearchParams(url.hash.slice(1)).get('token')).toBe(token);
    }
  });

  it('URL-encodes a token so it cannot end the fragment or add parameters', () => {
    const odd = 'a&b=c d#e/f?g+h%';
    const url = new URL(portalLinks('https://example.com').unlock(odd));
    expect(url.search).toBe('');
    expect(url.hash).toBe(`#token=${encodeURIComponent(odd)}`);
    expect(decodeURIComponent(url.hash.slice('#token='.length))).toBe(odd);
  });

  it('keeps a path prefix and drops trailing slashes', () => {
    const links = portalLinks('https://example.com/account//');
    expect(links.case('CASE-000123')).toBe('https://example.com/account/cases/CASE-000123');
    expect(links.security()).toBe('https://example.com/account/security');
    expect(portalLinks('http://localhost:4005/').security()).toBe('http://localhost:4005/security');
  });

  it.each([
    'localhost:4005',
    '/account',
    'ftp://example.com',
    'https://example.com/?next=1',
    'https://example.com/#x',
    'https://user:pw@example.com',
  ])('refuses %s as a base', (base) => {
    expect(() => portalLinks(base)).toThrow(
      expect.objectContaining({ code: 'NOTIFIER_LINK_BASE_INVALID' }) as unknown as MessageError,
    );
  });
});
