import { afterAll, describe, expect, it } from 'vitest';
import { PAGE_PATHS } from '../route-conventions';
import { startTestPortal, type TestPortal } from '../testing/harness';

const portals: TestPortal[] = [];
afterAll(async () => {
  await Promise.all(portals.map((p) => p.close()));
});
const start = async (env: Record<string, string> = {}) => {
  const portal = await startTestPortal({ env });
  portals.push(portal);
  return portal;
};

describe('the help page', () => {
  it('shows the configured channels as written, escaped, and offers sign-in to the in-app forms', async () => {
    const portal = await start({
      PORTAL_SUPPORT_EMAIL: 'help@wallet.example',
      PORTAL_SUPPORT_PHONE_HOURS: '+44 20 7946 0000, Mon-Fri 09:00-17:00 <b>',
    });
    for (const [locale, heading] of [
      ['en', 'Spotting phishing'],
      ['zh-CN', '识别网络钓鱼'],
    ] as const) {
      const page = await portal.visitor({ 'accept-language': locale }).get(PAGE_PATHS.help);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(heading);
      expect(page.body).toContain('<a href="mailto:help@wallet.example">help@wallet.example</a>');
      expect(page.body).toContain('+44 20 7946 0000, Mon-Fri 09:00-17:00 &lt;b&gt;');
      expect(page.body).toContain(`href="${PAGE_PATHS.signIn}"`);
    }
  });

  it('offers no e-mail or phone when none is configured; the sign-in page links to the guide', async () => {
    const portal = await start();
    const visitor = portal.visitor();
    const page = await visitor.get(PAGE_PATHS.help);
    expect(page.body).not.toContain('mailto:');
    expect(page.body).not.toContain('Phone:');
    expect((await visitor.get(PAGE_PATHS.signIn)).body).toContain(`href="${PAGE_PATHS.help}"`);
  });
});
