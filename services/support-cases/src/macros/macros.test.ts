// Macros: supervisors manage saved replies (role checks, audit trail, placeholders checked on save),
// agents render one for a case in the case's language and send it through the notes route, its
// status applied by the case's state machine.
import { randomUUID } from 'node:crypto';
import type { MacroView, RenderedMacroView } from '@wallet-guard/contracts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeUpstream, fakeAccount, startFakeUpstream } from '../testing/fake-upstream';
import { type CasesHarness, startCases } from '../testing/harness';
import { customerNameOf, parseTemplate, pickText, renderTemplate } from './macro-template';

let upstream: FakeUpstream;
let h: CasesHarness;
beforeAll(async () => {
  upstream = await startFakeUpstream();
  h = await startCases({ env: { CASES_AUTH_URL: upstream.url, CASES_MONITOR_URL: upstream.url } });
});
afterAll(async () => {
  await h?.close();
  await upstream?.close();
});
beforeEach(() => upstream.reset());

const BOTH = {
  en: 'Hello {{customerName}}, your account is {{accountState}}. Case {{ caseNumber }}. — {{agentName}}',
  'zh-CN': '{{customerName}}，您好！您的账户{{accountState}}。案件 {{caseNumber}}。—— {{agentName}}',
};

const as = (
  agent: string,
  role: 'agent' | 'supervisor',
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  payload?: unknown,
) => h.asAgent(agent, role, { method, url, ...(payload === undefined ? {} : { payload: payload as object }) });

async function createMacro(body: Record<string, unknown>): Promise<MacroView> {
  const res = await as('sam', 'supervisor', 'POST', '/v1/macros', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

/** A customer's complaint case in `locale` (as the wallet opens it). */
async function customerCase(locale: string, accountId: string = randomUUID()) {
  const res = await h.server.inject({
    method: 'POST',
    url: '/v1/customer-cases',
    headers: { 'x-api-key': 'dev-wallet-key' },
    payload: { accountId, category: 'complaint', message: 'My transfer is late', locale },
  });
  expect(res.statusCode, res.body).toBe(201);
  return { caseId: res.json().caseId as string, caseNumber: res.json().caseNumber as string, accountId };
}

const render = (caseId: string, macroId: string, agent = 'ada') =>
  as(agent, 'agent', 'POST', `/v1/cases/${caseId}/macros/${macroId}/render`);

const caseRow = (id: string) => h.db.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const timeline = (id: string) =>
  h.db.db.selectFrom('case_timeline').selectAll().where('case_id', '=', id).orderBy('id').execute();

describe('the placeholder syntax', () => {
  it('fills every placeholder once, never reading a value as a template, and keeps single braces', () => {
    const values = {
      customerName: '{{agentName}}',
      caseNumber: 'CASE-000001',
      accountState: 'active',
      agentName: 'ada',
    };
    expect(renderTemplate('Hi {{customerName}} {x} {{ caseNumber }}', values)).toBe('Hi {{agentName}} {x} CASE-000001');
  });

  it('refuses unknown and malformed placeholders with where they are', () => {
    expect(parseTemplate('Dear {{firstName}}')).toEqual({
      problem: { code: 'CASE_MACRO_UNKNOWN_PLACEHOLDER', placeholder: 'firstName', offset: 5 },
    });
    expect(parseTemplate('Case {{caseNumber')).toEqual({
      problem: { code: 'CASE_MACRO_MALFORMED_PLACEHOLDER', offset: 5 },
    });
    expect(parseTemplate('{{ }}')).toEqual({ problem: { code: 'CASE_MACRO_MALFORMED_PLACEHOLDER', offset: 0 } });
  });

  it("picks the case's language, the other one only when the macro has none in it", () => {
    expect(pickText(BOTH, 'zh-Hans-CN')).toMatchObject({ locale: 'zh-CN', fellBack: false });
    expect(pickText(BOTH, 'en-GB')).toMatchObject({ locale: 'en', fellBack: false });
    expect(pickText(BOTH, null)).toMatchObject({ locale: 'en', fellBack: false });
    expect(pickText({ en: 'x' }, 'zh-CN')).toEqual({ locale: 'en', text: 'x', fellBack: true });
    expect(pickText({ 'zh-CN': 'y' }, 'de')).toEqual({ locale: 'zh-CN', text: 'y', fellBack: true });
  });

  it('names the customer by the local part of their address, without a +tag', () => {
    expect(customerNameOf('li.wei+wallet@example.com')).toBe('li.wei');
    expect(customerNameOf('ada@example.com')).toBe('ada');
  });
});

describe('managing macros', () => {
  it('lets supervisors create, change and delete macros, each version kept with who saved it', async () => {
    const created = await createMacro({
      name: 'Ask for receipt',
      texts: { en: 'Please send the receipt for {{caseNumber}}.' },
    });
    expect(created).toMatchObject({
      version: 1,
      setStatus: null,
      visibility: 'public',
      deleted: false,
      changedBy: 'agent:sam',
    });

    const changed = await h.asAgent('tess', 'supervisor', {
      method: 'PUT',
      url: `/v1/macros/${created.id}`,
      payload: { expectedVersion: 1, name: 'Ask for receipt', texts: BOTH, setStatus: 'pending_customer' },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ version: 2, setStatus: 'pending_customer', changedBy: 'agent:tess' });

    // Two supervisors editing version 1: the second is told it changed.
    const stale = await as('sam', 'supervisor', 'PUT', `/v1/macros/${created.id}`, {
      expectedVersion: 1,
      name: 'Mine',
      texts: { en: 'x' },
    });
    expect([stale.statusCode, stale.json().error.code]).toEqual([409, 'CASE_MACRO_VERSION_CONFLICT']);
    // Versions are Postgres integers (and the next one must fit): a larger one is a 400, never a 500.
    const huge = await as('sam', 'supervisor', 'PUT', `/v1/macros/${created.id}`, {
      expectedVersion: 2_147_483_647,
      name: 'Mine',
      texts: { en: 'x' },
    });
    expect([huge.statusCode, huge.json().error.code]).toEqual([400, 'CASE_VALIDATION_FAILED']);

    const listed = await as('ada', 'agent', 'GET', '/v1/macros');
    expect(listed.json().items.find((m: MacroView) => m.id === created.id)).toMatchObject({ version: 2 });

    expect((await as('sam', 'supervisor', 'DELETE', `/v1/macros/${created.id}`)).statusCode).toBe(204);
    const after = await as('ada', 'agent', 'GET', '/v1/macros');
    expect(after.json().items.map((m: MacroView) => m.id)).not.toContain(created.id);
    expect((await as('sam', 'supervisor', 'DELETE', `/v1/macros/${created.id}`)).statusCode).toBe(404);

    const versions = await as('sam', 'supervisor', 'GET', `/v1/macros/${created.id}/versions`);
    expect(versions.json().versions.map((v: MacroView) => [v.version, v.changedBy, v.deleted])).toEqual([
      [3, 'agent:sam', true],
      [2, 'agent:tess', false],
      [1, 'agent:sam', false],
    ]);
    // The audit trail cannot be rewritten, not even by the service's own connection.
    await expect(
      h.db.db
        .updateTable('case_macro_versions')
        .set({ name: 'rewritten' })
        .where('macro_id', '=', created.id)
        .execute(),
    ).rejects.toThrow(/append-only/);
  });

  it('refuses agents every change, and a token without a role everything', async () => {
    const macro = await createMacro({ name: 'Thanks', texts: { en: 'Thank you.' } });
    const body = { name: 'x', texts: { en: 'x' } };
    const attempts = [
      await as('ada', 'agent', 'POST', '/v1/macros', body),
      await as('ada', 'agent', 'PUT', `/v1/macros/${macro.id}`, { ...body, expectedVersion: 1 }),
      await as('ada', 'agent', 'DELETE', `/v1/macros/${macro.id}`),
    ];
    expect(attempts.map((r) => [r.statusCode, r.json().error.code])).toEqual([
      [403, 'CASE_FORBIDDEN'],
      [403, 'CASE_FORBIDDEN'],
      [403, 'CASE_FORBIDDEN'],
    ]);
    const noRole = await h.server.inject({
      method: 'GET',
      url: '/v1/macros',
      headers: { authorization: `Bearer ${await h.token('ada', null)}` },
    });
    expect(noRole.statusCode).toBe(403);
    expect((await h.server.inject({ method: 'GET', url: '/v1/macros' })).statusCode).toBe(401);
    expect((await as('sam', 'supervisor', 'GET', `/v1/macros/${macro.id}/versions`)).json().versions).toHaveLength(1);
  });

  it('refuses an unknown or malformed placeholder at save time, naming it and the language, and saves nothing', async () => {
    const unknown = await as('sam', 'supervisor', 'POST', '/v1/macros', {
      name: 'Bad',
      texts: { en: 'Hi {{customerName}}', 'zh-CN': '您好 {{firstName}}' },
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error).toMatchObject({
      code: 'CASE_MACRO_UNKNOWN_PLACEHOLDER',
      details: {
        locale: 'zh-CN',
        placeholder: 'firstName',
        known: ['customerName', 'caseNumber', 'accountState', 'agentName'],
      },
    });
    const malformed = await as('sam', 'supervisor', 'POST', '/v1/macros', {
      name: 'Bad',
      texts: { en: 'Case {{caseNumber' },
    });
    expect([malformed.statusCode, malformed.json().error.code]).toEqual([422, 'CASE_MACRO_MALFORMED_PLACEHOLDER']);
    const good = await createMacro({ name: 'Good', texts: { en: 'Case {{caseNumber}}' } });
    const badEdit = await as('sam', 'supervisor', 'PUT', `/v1/macros/${good.id}`, {
      expectedVersion: 1,
      name: 'Good',
      texts: { en: '{{ticketId}}' },
    });
    expect([badEdit.statusCode, badEdit.json().error.code]).toEqual([422, 'CASE_MACRO_UNKNOWN_PLACEHOLDER']);
    const noText = await as('sam', 'supervisor', 'POST', '/v1/macros', { name: 'Empty', texts: {} });
    const otherLanguage = await as('sam', 'supervisor', 'POST', '/v1/macros', {
      name: 'French',
      texts: { fr: 'Bonjour' },
    });
    expect([noText.statusCode, otherLanguage.statusCode]).toEqual([400, 400]);
    const bad = await h.db.db
      .selectFrom('case_macro_versions')
      .select('name')
      .where('name', 'in', ['Bad', 'Empty', 'French'])
      .execute();
    expect(bad).toEqual([]);
    expect((await as('sam', 'supervisor', 'GET', `/v1/macros/${good.id}/versions`)).json().versions).toHaveLength(1);
  });
});

describe('rendering a macro for a case', () => {
  it("writes it in the case's language with the customer's name, the case number and the account's state", async () => {
    const macro = await createMacro({ name: 'Status', texts: BOTH });
    const zh = await customerCase('zh-CN');
    upstream.on('GET', /^\/internal\/v1\/accounts\//, (call) => ({
      status: 200,
      body: fakeAccount(call.path.split('/')[4] ?? '', { email: 'li.wei+wallet@example.com', status: 'frozen' }),
    }));
    const zhRendered = await render(zh.caseId, macro.id);
    expect(zhRendered.statusCode, zhRendered.body).toBe(200);
    expect(zhRendered.json()).toEqual({
      macroId: macro.id,
      version: 1,
      locale: 'zh-CN',
      fellBack: false,
      text: `li.wei，您好！您的账户已冻结。案件 ${zh.caseNumber}。—— ada`,
      visibility: 'public',
      setStatus: null,
    } satisfies RenderedMacroView);

    upstream.reset();
    const en = await customerCase('en-GB');
    const enRendered = await render(en.caseId, macro.id, 'bob');
    const name = `${en.accountId.slice(0, 8)}`;
    // The fake account is locked out: "locked", in English.
    expect(enRendered.json()).toMatchObject({
      locale: 'en',
      fellBack: false,
      text: `Hello ${name}, your account is locked. Case ${en.caseNumber}. — bob`,
    });
  });

  it('falls back to the other language only when the macro has no text in the case’s', async () => {
    const enOnly = await createMacro({ name: 'English only', texts: { en: 'Case {{caseNumber}} is with us.' } });
    const zh = await customerCase('zh-CN');
    const rendered = await render(zh.caseId, enOnly.id);
    expect(rendered.json()).toMatchObject({ locale: 'en', fellBack: true, text: `Case ${zh.caseNumber} is with us.` });
    // No account placeholder: auth is not asked.
    expect(upstream.calls.filter((c) => c.path.startsWith('/internal/'))).toEqual([]);
  });

  it('answers 503 when the text needs the account and auth does not answer, 404 for an unknown case or macro', async () => {
    const macro = await createMacro({ name: 'Needs auth', texts: { en: 'Hi {{customerName}}' } });
    const c = await customerCase('en');
    upstream.on('GET', /^\/internal\/v1\/accounts\//, () => ({
      status: 500,
      body: { error: { code: 'X', message: 'x' } },
    }));
    const down = await render(c.caseId, macro.id);
    expect([down.statusCode, down.json().error.code]).toEqual([503, 'CASE_UPSTREAM_UNAVAILABLE']);
    const noCase = await render(randomUUID(), macro.id);
    const noMacro = await render(c.caseId, randomUUID());
    expect([noCase.json().error.code, noMacro.json().error.code]).toEqual(['CASE_NOT_FOUND', 'CASE_MACRO_NOT_FOUND']);
  });
});

describe('sending a macro reply', () => {
  it("sends the edited text with the macro's visibility and moves the case to the macro's status", async () => {
    const macro = await createMacro({
      name: 'Need receipt',
      texts: BOTH,
      setStatus: 'pending_customer',
      visibility: 'public',
    });
    const c = await customerCase('zh-CN');
    const sent = await as('ada', 'agent', 'POST', `/v1/cases/${c.caseId}/notes`, {
      body: '请发送收据。',
      macroId: macro.id,
    });
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json()).toMatchObject({ status: 'pending_customer', slaPaused: true, assignee: 'ada' });
    const entries = await timeline(c.caseId);
    expect(entries.find((e) => e.kind === 'note' && e.actor === 'agent:ada')).toMatchObject({
      visibility: 'public',
      body: '请发送收据。',
    });
    expect(entries.find((e) => e.kind === 'status_changed' && e.new_value === 'pending_customer')).toBeDefined();
    expect(entries.find((e) => e.kind === 'macro_applied')?.data).toMatchObject({ macroId: macro.id, version: 1 });
    // The public note is announced for the customer's e-mail, exactly as a typed one.
    const outbox = await h.db.db.selectFrom('outbox').select('payload').execute();
    expect(
      outbox.filter(
        (r) =>
          r.payload.type === 'case.public_note_added' && (r.payload.payload as { caseId: string }).caseId === c.caseId,
      ),
    ).toHaveLength(1);
  });

  it('lets the agent choose the visibility over the macro’s', async () => {
    const macro = await createMacro({ name: 'Public', texts: { en: 'x' }, visibility: 'public' });
    const c = await customerCase('en');
    await as('ada', 'agent', 'POST', `/v1/cases/${c.caseId}/notes`, {
      body: 'kept inside',
      visibility: 'internal',
      macroId: macro.id,
    });
    expect((await timeline(c.caseId)).find((e) => e.body === 'kept inside')?.visibility).toBe('internal');
  });

  it('goes through the state machine: a move it refuses sends nothing', async () => {
    const macro = await createMacro({
      name: 'Waiting',
      texts: { en: 'We wait for you.' },
      setStatus: 'pending_customer',
    });
    const c = await customerCase('en');
    const escalated = await as('ada', 'agent', 'POST', `/v1/cases/${c.caseId}/escalate`, {
      reason: 'Needs a supervisor',
    });
    expect(escalated.statusCode).toBe(200);
    const before = (await timeline(c.caseId)).length;
    const refused = await as('ada', 'agent', 'POST', `/v1/cases/${c.caseId}/notes`, {
      body: 'We wait for you.',
      macroId: macro.id,
    });
    expect([refused.statusCode, refused.json().error.code]).toEqual([403, 'CASE_FORBIDDEN']);
    expect((await timeline(c.caseId)).length).toBe(before);
    expect((await caseRow(c.caseId)).status).toBe('escalated');
    // A supervisor may make that move: the same macro goes through.
    const bySupervisor = await as('sam', 'supervisor', 'POST', `/v1/cases/${c.caseId}/notes`, {
      body: 'We wait for you.',
      macroId: macro.id,
    });
    expect(bySupervisor.json()).toMatchObject({ status: 'pending_customer', queue: 'agents' });

    const deleted = await createMacro({ name: 'Gone', texts: { en: 'x' } });
    await as('sam', 'supervisor', 'DELETE', `/v1/macros/${deleted.id}`);
    const gone = await as('sam', 'supervisor', 'POST', `/v1/cases/${c.caseId}/notes`, {
      body: 'x',
      macroId: deleted.id,
    });
    expect([gone.statusCode, gone.json().error.code]).toEqual([404, 'CASE_MACRO_NOT_FOUND']);
  });
});
