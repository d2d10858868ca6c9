// A customer's duplicate request merged by an agent, seen through the portal: the list shows the
// survivor once, the merged number leads to it, and both requests' words are on it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, PASSWORD, type PortalSystem, register, startPortalSystem } from './portal-system';

let env: PortalSystem;
beforeAll(async () => {
  env = await startPortalSystem();
});
afterAll(async () => {
  await env?.stop();
});

describe('a merged request in the help centre', () => {
  it('lists the survivor once, sends the merged number to it, and shows both requests’ words', async () => {
    const { email, accountId } = await register(env, 'en');
    const visitor = env.portal.visitor({ 'accept-language': 'en' });
    expect((await visitor.submit('/sign-in', '/sign-in', { email, password: PASSWORD })).statusCode).toBe(303);
    const file = async (message: string) => {
      const answer = await visitor.submit('/cases', '/cases', { category: 'complaint', message });
      expect(answer.statusCode, answer.body).toBe(303);
      return String(answer.headers.location);
    };
    const first = await file('My transfer is late');
    const second = await file('Still waiting for my transfer');
    const items = (await api(env.system.cases.url, 'GET', `/v1/customer-cases?accountId=${accountId}`)).body.items as {
      caseId: string;
      caseNumber: string;
    }[];
    const byHref = (href: string) => items.find((c) => href.endsWith(c.caseNumber)) as { caseId: string };
    const token = await env.system.agentToken('ada');
    const merged = await api(
      env.system.cases.url,
      'POST',
      `/v1/cases/${byHref(second).caseId}/merge`,
      { intoCaseId: byHref(first).caseId, reason: 'Same transfer' },
      { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    );
    expect(merged.status).toBe(200);

    const list = await visitor.get('/cases');
    expect(list.body).toContain(`href="${first}"`);
    expect(list.body).not.toContain(`href="${second}"`);
    const followed = await visitor.get(second);
    expect([followed.statusCode, followed.headers.location]).toEqual([303, first]);
    const page = await visitor.get(first);
    expect(page.body).toContain('My transfer is late');
    expect(page.body).toContain('Still waiting for my transfer');
  });
});
