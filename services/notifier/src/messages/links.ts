import { PORTAL_PATHS, satisfactionPath } from '@wallet-guard/contracts';
import { MessageError } from './render-errors';

/** Absolute links into the account portal. Every function is pure and never throws. */
export interface PortalLinks {
  unlock(token: string): string;
  resetPassword(token: string): string;
  freeze(token: string): string;
  /** `caseNumber` as in the case events, e.g. "CASE-000123". */
  case(caseNumber: string): string;
  /** The case's rating form with `rating` (1-5) chosen; saves nothing until the signed-in customer sends it. */
  rate(caseNumber: string, rating: number): string;
  security(): string;
}

/**
 * Links under `linkBaseUrl` (e.g. "http://localhost:4005" or "https://example.com/account/"; a
 * trailing slash is dropped). Throws `MessageError` NOTIFIER_LINK_BASE_INVALID unless it is an
 * absolute http(s) URL without query or fragment: those would put our paths in the wrong place.
 */
export function portalLinks(linkBaseUrl: string): PortalLinks {
  const base = normaliseBase(linkBaseUrl);
  const withToken = (path: string, token: string) => `${base}${path}#token=${encodeURIComponent(token)}`;
  return {
    unlock: (token) => withToken(PORTAL_PATHS.unlock, token),
    resetPassword: (token) => withToken(PORTAL_PATHS.resetPassword, token),
    freeze: (token) => withToken(PORTAL_PATHS.freeze, token),
    case: (caseNumber) => `${base}${PORTAL_PATHS.cases}/${encodeURIComponent(caseNumber)}`,
    rate: (caseNumber, rating) => `${base}${satisfactionPath(caseNumber, rating)}`,
    security: () => `${base}${PORTAL_PATHS.security}`,
  };
}

function normaliseBase(linkBaseUrl: string): string {
  let url: URL;
  try {
    url = new URL(linkBaseUrl);
  } catch {
    throw new MessageError('NOTIFIER_LINK_BASE_INVALID', 'linkBaseUrl is not an absolute URL');
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search !== '' || url.hash !== '') {
    throw new MessageError('NOTIFIER_LINK_BASE_INVALID', 'linkBaseUrl must be http(s) without query or fragment');
  }
  if (url.username !== '' || url.password !== '') {
    throw new MessageError('NOTIFIER_LINK_BASE_INVALID', 'linkBaseUrl must not carry credentials');
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
