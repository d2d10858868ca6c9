import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_PATHS } from '../route-conventions';
import { csrfOf, startTestPortal, type TestPortal } from '../testing/harness';

let portal: TestPortal;
beforeAll(async () => {
  portal = await startTestPortal();
});
afterAll(async () => {
  await portal?.close();
});

const BROWSER = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

describe('unknown addresses', () => {
  it("answer a browser with a page in the customer's language, under the strict policy", async () => {
    for (const [language, title] of [
      ['en-GB', 'Page not found'],
      ['zh-CN', '找不到页面'],
    ] as const) {
      const visitor = portal.visitor({ ...BROWSER, 'accept-language': language });
      const res = await visitor.get('/no-such-page?x=<script>');
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.body).toContain(`<title>${title}`);
      expect(res.body).toContain(`href="${PAGE_PATHS.signIn}"`);
      expect(res.body).not.toContain('<script>');
      // The page's language switcher works: its CSRF secret was kept in the session.
      const switched = await visitor.post(PAGE_PATHS.language, { _csrf: csrfOf(res.body), lang: 'en' });
      expect(switched.statusCode).toBe(303);
    }
  });

  it("keep the kit's JSON 404 for API paths, other methods and callers that do not take HTML", async () => {
    const json = async (method: 'GET' | 'POST', url: string, headers: Record<string, string>) => {
      const res = await portal.server.inject({ method, url, headers });
      return [res.statusCode, res.headers['content-type'], res.json().error.code];
    };
    const notFound = [404, 'application/json; charset=utf-8', 'PORTAL_NOT_FOUND'];
    expect(await json('GET', '/no-such-page', { accept: 'application/json' })).toEqual(notFound);
    expect(await json('GET', '/no-such-page', {})).toEqual(notFound);
    expect(await json('POST', '/no-such-page', BROWSER)).toEqual(notFound);
    expect(await json('GET', '/v1/anything', BROWSER)).toEqual(notFound);
    expect(await json('GET', '/docs/nothing-here', BROWSER)).toEqual(notFound);
  });
});
