import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../cases/actor';
import { type IncidentKind, incidentKinds } from '../cases/case-rules';
import { recordIncident } from '../cases/incidents';
import { type CasesHarness, startCases } from '../testing/harness';

let h: CasesHarness;
beforeAll(async () => {
  // The configured defaults: P1 24/7, P2-P4 London office hours, Christmas Day off.
  h = await startCases({
    env: {
      CASES_SLA_CALENDARS: 'P1=always,P2=business,P3=business,P4=business',
      CASES_BUSINESS_TIME_ZONE: 'Europe/London',
      CASES_BUSINESS_HOURS: 'mon-fri=09:00-17:00',
      CASES_BUSINESS_HOLIDAYS: '2026-12-25',
    },
  });
});
afterAll(() => h.close());

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Moves the service's clock to `iso` (it keeps running from there). */
const setClock = (iso: string) => h.clock.advance(Date.parse(iso) - h.clock.now().getTime());

async function openCase(kind: (accountId: string) => IncidentKind) {
  const accountId = randomUUID();
  const { case: c } = await h.db.db
    .transaction()
    .execute((trx) =>
      recordIncident(trx, h.context, { kind: kind(accountId), accountId, actor: SYSTEM, detail: 'Test', evidence: [] }),
    );
  return c;
}

const row = (caseId: string) =>
  h.db.db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow();

const setStatus = async (caseId: string, status: string) =>
  expect(
    (await h.asAgent('alice', 'agent', { method: 'POST', url: `/v1/cases/${caseId}/status`, payload: { status } }))
      .statusCode,
  ).toBe(200);

const officeWeek = (start: string, end: string) => ({
  monday: [{ start, end }],
  tuesday: [{ start, end }],
  wednesday: [{ start, end }],
  thursday: [{ start, end }],
  friday: [{ start, end }],
  saturday: [],
  sunday: [],
});
const settings = (timeZone: string, extra: object = {}) => ({
  calendars: { office: { timeZone, weeklyHours: officeWeek('09:00', '17:00'), holidays: [], ...extra } },
  priorities: { P1: 'always', P2: 'office', P3: 'office', P4: 'office' },
});

const current = async () =>
  (await h.asAgent('alice', 'agent', { method: 'GET', url: '/v1/sla/calendars' })).json<{ version: number }>();
const put = (body: object, agent = 'sam', role: 'agent' | 'supervisor' = 'supervisor') =>
  h.asAgent(agent, role, { method: 'PUT', url: '/v1/sla/calendars', payload: body });

describe('deadlines count only calendar time', () => {
  it('a P3 opened on Friday at 16:00 in London owes its first response on Monday at 12:00, computed with version 1', async () => {
    setClock('2026-11-27T16:00:00Z');
    const c = await openCase(incidentKinds.lockout);
    const r = await row(c.id);
    // Friday 16:00-17:00, then Monday 09:00-12:00: 68 h later.
    expect(r.first_response_due_at.getTime() - r.opened_at.getTime()).toBe(68 * HOUR);
    expect(r.sla_calendar_version).toBe(1);
  });

  it('a P1 stays 24/7', async () => {
    setClock('2026-11-28T22:00:00Z'); // Saturday night
    const c = await openCase(incidentKinds.theft);
    const r = await row(c.id);
    expect(r.first_response_due_at.getTime() - r.opened_at.getTime()).toBe(15 * 60_000);
    expect(r.resolution_due_at.getTime() - r.opened_at.getTime()).toBe(4 * HOUR);
  });

  it('a pause inside hours moves the resolution deadline by its length', async () => {
    setClock('2026-11-30T10:00:00Z'); // Monday
    const c = await openCase(incidentKinds.lockout);
    h.clock.advance(30 * 60_000);
    await setStatus(c.id, 'pending_customer');
    h.clock.advance(2 * HOUR);
    await setStatus(c.id, 'open');
    const r = await row(c.id);
    const [pause] = r.sla_pauses;
    if (!pause) throw new Error('the pause was not recorded');
    const credit = Date.parse(pause.to) - Date.parse(pause.from);
    expect(credit).toBeGreaterThanOrEqual(2 * HOUR);
    // 72 business hours from Monday 10:00 end on Friday 11 December at 10:00 (11 days later); plus the pause.
    expect(r.resolution_due_at.getTime() - r.opened_at.getTime()).toBe(11 * DAY + credit);
  });

  it('a pause outside hours credits only its part inside them (the night never counted)', async () => {
    setClock('2026-11-30T16:00:00Z'); // Monday
    const c = await openCase(incidentKinds.lockout);
    h.clock.advance(30 * 60_000);
    await setStatus(c.id, 'pending_customer');
    setClock('2026-12-01T09:20:00Z'); // the customer answers on Tuesday morning
    await setStatus(c.id, 'open');
    const r = await row(c.id);
    const [pause] = r.sla_pauses;
    if (!pause) throw new Error('the pause was not recorded');
    // Monday from 16:30 to 17:00 and Tuesday from 09:00 to 09:20: about 50 minutes of almost 17 hours.
    const inHours =
      Date.parse('2026-11-30T17:00:00Z') -
      Date.parse(pause.from) +
      (Date.parse(pause.to) - Date.parse('2026-12-01T09:00:00Z'));
    expect(Number(r.sla_paused_ms)).toBeGreaterThan(16 * HOUR);
    expect(Math.abs(inHours - 50 * 60_000)).toBeLessThan(60_000);
    // 72 business hours from Monday 16:00 end on Friday 11 December at 16:00; plus the 50 minutes.
    expect(r.resolution_due_at.getTime() - r.opened_at.getTime()).toBe(11 * DAY + inHours);
  });

  it('skips the configured holiday', async () => {
    setClock('2026-12-24T16:00:00Z'); // Thursday; Friday is Christmas Day
    const c = await openCase(incidentKinds.lockout);
    const r = await row(c.id);
    // Thursday 16:00-17:00, then Monday 28th 09:00-12:00.
    expect(r.first_response_due_at.getTime() - r.opened_at.getTime()).toBe(3 * DAY + 20 * HOUR);
  });
});

describe('calendar settings through the API', () => {
  it('shows the settings in force to agents: version 1, the configured defaults, saved by the system', async () => {
    const res = await h.asAgent('alice', 'agent', { method: 'GET', url: '/v1/sla/calendars' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      version: 1,
      changedBy: 'system',
      priorities: { P1: 'always', P2: 'business', P3: 'business', P4: 'business' },
      calendars: { business: { timeZone: 'Europe/London', holidays: ['2026-12-25'] } },
    });
    expect(res.json().calendars.business.weeklyHours.monday).toEqual([{ start: '09:00', end: '17:00' }]);
    expect(res.json().calendars.business.weeklyHours.saturday).toEqual([]);
  });

  it('refuses settings that cannot work, each with its code, and agents who are not supervisors', async () => {
    const { version } = await current();
    const attempt = async (body: object) => {
      const res = await put({ expectedVersion: version, ...body });
      return [res.statusCode, res.json().error.code];
    };
    const bad = (office: object) => ({
      calendars: { office: { timeZone: 'Europe/London', weeklyHours: officeWeek('09:00', '17:00'), ...office } },
      priorities: { P1: 'always', P2: 'office', P3: 'office', P4: 'office' },
    });
    expect(await attempt(bad({ timeZone: 'Mars/Olympus_Mons' }))).toEqual([422, 'CASE_CALENDAR_INVALID_TIME_ZONE']);
    expect(await attempt(bad({ weeklyHours: officeWeek('17:00', '09:00') }))).toEqual([
      422,
      'CASE_CALENDAR_INVERTED_RANGE',
    ]);
    expect(
      await attempt(
        bad({
          weeklyHours: {
            ...officeWeek('09:00', '17:00'),
            monday: [
              { start: '09:00', end: '13:00' },
              { start: '12:00', end: '17:00' },
            ],
          },
        }),
      ),
    ).toEqual([422, 'CASE_CALENDAR_OVERLAPPING_RANGES']);
    expect(await attempt(bad({ weeklyHours: {} }))).toEqual([422, 'CASE_CALENDAR_EMPTY_WEEK']);
    expect(
      await attempt({ ...settings('UTC'), priorities: { P1: 'always', P2: 'weekend', P3: 'office', P4: 'office' } }),
    ).toEqual([422, 'CASE_CALENDAR_UNKNOWN']);
    expect(await attempt(bad({ weeklyHours: officeWeek('9:00', '17:00') }))).toEqual([400, 'CASE_VALIDATION_FAILED']);
    expect(await attempt(bad({ holidays: ['2026-02-30'] }))).toEqual([400, 'CASE_VALIDATION_FAILED']);
    const byAgent = await put({ expectedVersion: version, ...settings('UTC') }, 'alice', 'agent');
    expect([byAgent.statusCode, byAgent.json().error.code]).toEqual([403, 'CASE_FORBIDDEN']);
    // Nothing of that was saved.
    expect((await current()).version).toBe(version);
  });

  it('saves each change as the next version, in the append-only audit trail, and refuses a stale one', async () => {
    const { version } = await current();
    const saved = await put({ expectedVersion: version, ...settings('Asia/Shanghai'), note: 'Shanghai desk' });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ version: version + 1, changedBy: 'agent:sam', note: 'Shanghai desk' });
    const stale = await put({ expectedVersion: version, ...settings('UTC') });
    expect([stale.statusCode, stale.json().error]).toEqual([
      409,
      expect.objectContaining({
        code: 'CASE_CALENDAR_VERSION_CONFLICT',
        details: { expectedVersion: version, currentVersion: version + 1 },
      }),
    ]);

    // Two supervisors save over the same version at once: exactly one wins.
    const [a, b] = await Promise.all([
      put({ expectedVersion: version + 1, ...settings('Europe/Paris') }, 'sam'),
      put({ expectedVersion: version + 1, ...settings('Europe/Berlin') }, 'sue'),
    ]);
    expect([a?.statusCode, b?.statusCode].sort()).toEqual([200, 409]);

    const history = await h.asAgent('sam', 'supervisor', { method: 'GET', url: '/v1/sla/calendars/versions' });
    expect(history.json().versions.map((v: { version: number; changedBy: string }) => v.version)).toEqual(
      Array.from({ length: version + 2 }, (_, i) => version + 2 - i),
    );
    const old = await h.asAgent('alice', 'agent', { method: 'GET', url: '/v1/sla/calendars/versions/1' });
    expect(old.json()).toMatchObject({ version: 1, changedBy: 'system' });
    const missing = await h.asAgent('alice', 'agent', { method: 'GET', url: '/v1/sla/calendars/versions/999' });
    expect([missing.statusCode, missing.json().error.code]).toEqual([404, 'CASE_CALENDAR_VERSION_NOT_FOUND']);
    await expect(sql`update sla_calendar_versions set note = 'rewritten'`.execute(h.db.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from sla_calendar_versions`.execute(h.db.db)).rejects.toThrow(/append-only/);
  });

  it('keeps an open case on the version it opened with; new cases take the new one', async () => {
    await put({ expectedVersion: (await current()).version, ...settings('Europe/London') });
    setClock('2026-11-30T10:00:00Z'); // Monday, London
    const c = await openCase(incidentKinds.lockout);
    const opened = await row(c.id);
    // Now the desk moves to New York hours (five hours later in the day).
    const moved = await put({ expectedVersion: (await current()).version, ...settings('America/New_York') });
    expect(moved.statusCode).toBe(200);
    await setStatus(c.id, 'pending_customer');
    h.clock.advance(30 * 60_000);
    await setStatus(c.id, 'open');
    const r = await row(c.id);
    expect(r.sla_calendar_version).toBe(opened.sla_calendar_version);
    const [pause] = r.sla_pauses;
    if (!pause) throw new Error('the pause was not recorded');
    // Still London: 11 days plus the pause (in London hours), as at the opening.
    expect(r.resolution_due_at.getTime() - r.opened_at.getTime()).toBe(
      11 * DAY + Date.parse(pause.to) - Date.parse(pause.from),
    );
    const later = await openCase(incidentKinds.lockout);
    expect((await row(later.id)).sla_calendar_version).toBe(moved.json().version);
  });

  it('counts New York hours across the change to daylight time (2026-03-08)', async () => {
    await put({ expectedVersion: (await current()).version, ...settings('America/New_York') });
    setClock('2026-03-06T21:00:00Z'); // Friday 16:00 EST
    const c = await openCase(incidentKinds.lockout);
    const r = await row(c.id);
    // Friday 16:00-17:00 EST, Monday 09:00-12:00 EDT: 67 h of real time (68 on a fixed offset).
    expect(r.first_response_due_at.getTime() - r.opened_at.getTime()).toBe(67 * HOUR);
  });
});
