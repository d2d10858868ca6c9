// The agent's console language, remembered on the server (real Postgres): each agent changes only
// their own, only to a language the console is written in, and it survives a new token.
import type { AgentView } from '@wallet-guard/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CasesHarness, startCases } from '../testing/harness';

let h: CasesHarness;
beforeAll(async () => {
  h = await startCases();
});
afterAll(() => h.close());

const me = async (agent: string, role: 'agent' | 'supervisor' = 'agent') => {
  const res = await h.asAgent(agent, role, { method: 'GET', url: '/v1/agents/me' });
  expect(res.statusCode).toBe(200);
  return res.json<AgentView>();
};

const patch = (agent: string, payload: unknown, role: 'agent' | 'supervisor' = 'agent') =>
  h.asAgent(agent, role, { method: 'PATCH', url: '/v1/agents/me', payload: payload as object });

const storedLocale = async (agent: string) =>
  (await h.db.db.selectFrom('agents').select('locale').where('name', '=', agent).executeTakeFirst())?.locale;

describe('PATCH /v1/agents/me (the console language)', () => {
  it('is null until the agent chooses; the choice is stored and answered with every later token', async () => {
    expect(await me('ada')).toEqual({ name: 'ada', role: 'agent', available: false, locale: null });
    const chosen = await patch('ada', { locale: 'zh-CN' });
    expect([chosen.statusCode, chosen.json()]).toEqual([
      200,
      { name: 'ada', role: 'agent', available: false, locale: 'zh-CN' },
    ]);
    expect(await storedLocale('ada')).toBe('zh-CN');
    // A token issued later (another browser, the next day) finds the same language.
    h.clock.advance(60_000);
    expect((await me('ada')).locale).toBe('zh-CN');
    expect((await patch('ada', { locale: 'en' })).json<AgentView>().locale).toBe('en');
    expect((await me('ada')).locale).toBe('en');
  });

  it("changes the caller's own language only: another agent's choice leaves mine alone", async () => {
    await patch('ming', { locale: 'zh-CN' });
    const other = await patch('olga', { locale: 'en' }, 'supervisor');
    expect(other.json<AgentView>()).toMatchObject({ name: 'olga', role: 'supervisor', locale: 'en' });
    expect((await me('ming')).locale).toBe('zh-CN');
    // Naming someone else in the body is not a way in: the field is refused, nothing is saved.
    const sneaky = await patch('olga', { locale: 'en', name: 'ming' }, 'supervisor');
    expect([sneaky.statusCode, sneaky.json().error.code]).toEqual([400, 'CASE_VALIDATION_FAILED']);
    expect(await storedLocale('ming')).toBe('zh-CN');
  });

  it('refuses a language the console is not written in with 400 CASE_VALIDATION_FAILED, keeping the old one', async () => {
    await patch('kim', { locale: 'zh-CN' });
    for (const payload of [
      { locale: 'zh-TW' },
      { locale: 'zh' },
      { locale: 'fr' },
      { locale: 'EN' },
      { locale: '' },
      { locale: null },
      { locale: 7 },
      {},
      [],
    ]) {
      const res = await patch('kim', payload);
      expect([JSON.stringify(payload), res.statusCode, res.json().error.code]).toEqual([
        JSON.stringify(payload),
        400,
        'CASE_VALIDATION_FAILED',
      ]);
    }
    expect(await storedLocale('kim')).toBe('zh-CN');
  });

  it('keeps the language when availability changes, and availability when the language does', async () => {
    await patch('lee', { locale: 'zh-CN' });
    const available = await h.asAgent('lee', 'agent', {
      method: 'PUT',
      url: '/v1/agents/me/availability',
      payload: { available: true },
    });
    expect(available.json<AgentView>()).toMatchObject({ available: true, locale: 'zh-CN' });
    expect((await patch('lee', { locale: 'en' })).json<AgentView>()).toMatchObject({ available: true, locale: 'en' });
  });

  it('needs an agent token', async () => {
    const res = await h.server.inject({ method: 'PATCH', url: '/v1/agents/me', payload: { locale: 'en' } });
    expect([res.statusCode, res.json().error.code]).toEqual([401, 'CASE_UNAUTHENTICATED']);
  });

  it('is guarded by the database too: no other value fits the column', async () => {
    await expect(
      sql`insert into agents (name, role, locale) values ('direct', 'agent', 'fr')`.execute(h.db.db),
    ).rejects.toThrow(/check constraint/);
  });
});
