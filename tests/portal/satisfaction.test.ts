// A customer rates a resolved request, in Chinese, from the link in the resolution e-mail: the
// whole system (auth, support-cases, the notifier on Kafka, a real SMTP server) behind the portal's
// routes (inject, with a browser's cookie jar). The link holds no secret: a stranger meets the
// sign-in page, another account's request is not found, and one answer is all a case takes.
import { csrfOf, type TestVisitor } from '@wallet-guard/account-portal/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, PASSWORD, type PortalSystem, register, startPortalSystem } from './portal-system';

let env: PortalSystem;
beforeAll(async () => {
  env = await startPortalSystem();
});
afterAll(async () => {
  await env?.stop();
});

const ZH = { 'accept-language': 'zh-CN' };

async function signIn(visitor: TestVisitor, email: string) {
  return visitor.submit('/sign-in', '/sign-in', { email, password: PASSWORD });
}

const agent = async (method: string, path: string, body?: unknown) =>
  api(env.system.cases.url, method, path, body, {
    authorization: `Bearer ${await env.system.agentToken('ada')}`,
    'content-type': 'application/json',
  });

describe('rating a resolved request', () => {
  it('follows the e-mail link through sign-in to a one-tap form in Chinese, and takes one answer only', async () => {
    const { email, accountId } = await register(env, 'zh-CN');
    const owner = env.portal.visitor(ZH);
    expect((await signIn(owner, email)).statusCode).toBe(303);
    const filed = await owner.submit('/cases', '/cases', { category: 'complaint', message: '转账太慢了' });
    expect(filed.statusCode, filed.body).toBe(303);
    const href = String(filed.headers.location);
    const caseNumber = href.split('/').pop() ?? '';
    const before = await owner.get(href);
    expect(before.body).not.toContain('name="rating"');

    const [c] = (await api(env.system.cases.url, 'GET', `/v1/customer-cases?accountId=${accountId}`)).body.items;
    const resolved = await agent('POST', `/v1/cases/${c.caseId}/resolve`, {
      outcome: 'customer_error',
      note: '已说明',
    });
    expect(resolved.status).toBe(200);

    // The resolution e-mail, in Chinese, with one link per rating into this portal.
    const mail = await env.smtp.waitFor(
      (m) => m.envelope.to.includes(email) && m.text.includes('satisfaction?rating='),
      30_000,
    );
    expect(mail.text).toContain('您对我们的服务满意吗');
    const links = [1, 2, 3, 4, 5].map((n) => `${env.url}/cases/${caseNumber}/satisfaction?rating=${n}`);
    for (const link of links) expect(mail.text).toContain(link);
    const four = (links[3] ?? '').slice(env.url.length);

    // Opened on another device: sign in first, then back to the form with 4 chosen.
    const phone = env.portal.visitor(ZH);
    const stranger = await phone.get(four);
    expect([stranger.statusCode, stranger.headers.location]).toEqual([303, '/sign-in']);
    const back = await signIn(phone, email);
    expect([back.statusCode, back.headers.location]).toEqual([303, four]);
    const form = await phone.get(four);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('您在邮件中选择了“4 – 满意”');
    expect(form.body).toMatch(/<button type="submit" name="rating" value="4" class="chosen"[^>]*autofocus/);
    expect(form.body.match(/name="rating"/g)).toHaveLength(5);

    // Another account: the same link finds nothing, and a forged post rates nothing.
    const other = await register(env, 'zh-CN');
    const intruder = env.portal.visitor(ZH);
    await signIn(intruder, other.email);
    expect((await intruder.get(four)).statusCode).toBe(404);
    const page = await intruder.get('/cases');
    const forged = await intruder.post(`/cases/${caseNumber}/satisfaction`, { _csrf: csrfOf(page.body), rating: '1' });
    expect(forged.statusCode).toBe(404);

    // One tap (the comment is optional) and the page thanks the customer.
    const sent = await phone.post(`/cases/${caseNumber}/satisfaction`, {
      _csrf: csrfOf(form.body),
      rating: '4',
      comment: '客服很耐心',
    });
    expect([sent.statusCode, sent.headers.location]).toEqual([303, href]);
    const after = await phone.get(href);
    expect(after.body).toContain('感谢您的评分：4 – 满意。');
    expect(after.body).not.toContain('name="rating"');

    // The first device's page is stale: support-cases refuses a second answer, the page says why.
    const again = await owner.post(`/cases/${caseNumber}/satisfaction`, { _csrf: csrfOf(before.body), rating: '1' });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('此请求已评过分');

    const [stored] = (await api(env.system.cases.url, 'GET', `/v1/customer-cases?accountId=${accountId}`)).body.items;
    expect(stored.satisfaction).toMatchObject({ state: 'answered', rating: 4 });
    const report = await api(
      env.system.cases.url,
      'GET',
      `/v1/reports/satisfaction?from=${new Date(Date.now() - 3_600_000).toISOString()}`,
      undefined,
      { authorization: `Bearer ${await env.system.agentToken('sam', 'supervisor')}` },
    );
    expect(report.status).toBe(200);
    expect(
      report.body.byAgent.find((a: { agent: string }) => a.agent === 'ada')?.distribution[4],
    ).toBeGreaterThanOrEqual(1);
  });

  it('refuses a rating that is not 1 to 5 in words', async () => {
    const { email } = await register(env, 'zh-CN');
    const visitor = env.portal.visitor(ZH);
    await signIn(visitor, email);
    const filed = await visitor.submit('/cases', '/cases', { category: 'question', message: '问题' });
    const caseNumber = String(filed.headers.location).split('/').pop();
    const page = await visitor.get(String(filed.headers.location));
    const bad = await visitor.post(`/cases/${caseNumber}/satisfaction`, { _csrf: csrfOf(page.body), rating: '9' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('请选择 1 到 5 的评分');
  });
});
