import { randomUUID } from 'node:crypto';
import type { DeskReport } from '@wallet-guard/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../cases/actor';
import { customerIncident, type IncidentKind, incidentKinds } from '../cases/case-rules';
import { recordIncident } from '../cases/incidents';
import { type CasesHarness, startCases } from '../testing/harness';
import { deskReportCsv, neutralizeFormula, toCsv } from './desk-csv';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Monday 7 January 2030, 09:00 UTC: ISO week 2030-W02 (W01 holds Thursday 3 January). */
const T0 = Date.parse('2030-01-07T09:00:00Z');

let h: CasesHarness;
let report: DeskReport;
let periodQuery: string;
const ids: Record<string, string> = {};

const at = (ms: number) => h.clock.advance(T0 + ms - h.clock.now().getTime());
const open = async (name: string, kind: IncidentKind, accountId: string) => {
  const { case: c } = await h.db.db
    .transaction()
    .execute((trx) => recordIncident(trx, h.context, { kind, accountId, actor: SYSTEM, detail: name, evidence: [] }));
  ids[name] = c.id;
};
const act = async (agent: string, name: string, action: string, payload?: object) => {
  const res = await h.asAgent(agent, 'agent', {
    method: 'POST',
    url: `/v1/cases/${ids[name]}/${action}`,
    ...(payload ? { payload } : {}),
  });
  expect([name, action, res.statusCode]).toEqual([name, action, 200]);
};
const get = (url: string, role: 'agent' | 'supervisor' = 'supervisor') =>
  h.asAgent('sue', role, { method: 'GET', url });

/**
 * A known desk: every case opened, answered and resolved at a set time on the test clock.
 *
 * | case | type (priority)     | opened  | first response | resolved            | now (7 d 1 h) |
 * | A    | lockout (P3)        | 0       | 30 min (alice)  | 2 h, unlocked       |               |
 * | B    | hijack (P2)         | 0       | 90 min (bob)    | -                   | open          |
 * | C    | frozen (P1)         | 0       | -               | -                   | open          |
 * | E    | complaint (P3)      | 0       | -               | merged into A 40 min|               |
 * | H    | complaint (P3)      | 3 h     | 4 h (alice)     | 4 h, customer_error, rated 4 |      |
 * | G    | lockout (P3)        | 7 d-2 h | -               | -                   | open          |
 * | D    | lockout (P3)        | 7 d     | 10 min (bob)    | 20 min, false_positive |            |
 * | F    | question (P4)       | 7 d 50 m| -               | -                   | open          |
 */
beforeAll(async () => {
  h = await startCases();
  const account = () => randomUUID();
  const a1 = account();
  at(0);
  await open('A', incidentKinds.lockout(a1), a1);
  await open('B', incidentKinds.sessionHijack(account()), randomUUID());
  await open('C', incidentKinds.frozen(randomUUID()), randomUUID());
  await open('E', customerIncident('complaint', a1, randomUUID()), a1);
  at(30 * MINUTE);
  await act('alice', 'A', 'claim');
  at(40 * MINUTE);
  await act('alice', 'E', 'merge', { intoCaseId: ids.A, reason: 'the same lock' });
  at(90 * MINUTE);
  await act('bob', 'B', 'notes', { body: 'Looking', visibility: 'internal' });
  at(2 * HOUR);
  await act('alice', 'A', 'resolve', { outcome: 'unlocked', note: 'verified' });
  const a7 = account();
  at(3 * HOUR);
  await open('H', customerIncident('complaint', a7, randomUUID()), a7);
  at(4 * HOUR);
  await act('alice', 'H', 'resolve', { outcome: 'customer_error', note: 'explained' });
  at(5 * HOUR);
  const rated = await h.server.inject({
    method: 'POST',
    url: `/v1/customer-cases/${ids.H}/satisfaction`,
    headers: { 'x-api-key': 'dev-wallet-key' },
    payload: { accountId: a7, rating: 4 },
  });
  expect(rated.statusCode).toBe(201);
  at(7 * DAY - 2 * HOUR);
  const a6 = account();
  await open('G', incidentKinds.lockout(a6), a6);
  at(7 * DAY);
  const a4 = account();
  await open('D', incidentKinds.lockout(a4), a4);
  at(7 * DAY + 10 * MINUTE);
  await act('bob', 'D', 'claim');
  at(7 * DAY + 20 * MINUTE);
  await act('bob', 'D', 'resolve', { outcome: 'false_positive', note: 'was them' });
  at(7 * DAY + 50 * MINUTE);
  const a5 = account();
  await open('F', customerIncident('question', a5, randomUUID()), a5);
  // An agent whose name a spreadsheet would read as a formula.
  const risky = await h.asAgent('@risky', 'agent', {
    method: 'PUT',
    url: '/v1/agents/me/availability',
    payload: { available: false },
  });
  expect(risky.statusCode).toBe(200);
  at(7 * DAY + HOUR);
  periodQuery = `from=${new Date(T0 - HOUR).toISOString()}&to=${new Date(T0 + 8 * DAY).toISOString()}`;
  const res = await get(`/v1/reports/desk?${periodQuery}`);
  expect(res.statusCode).toBe(200);
  report = res.json();
});
afterAll(() => h.close());

const sla = (met: number, missed: number, pending: number) => ({
  met,
  missed,
  pending,
  attainment: met + missed === 0 ? null : met / (met + missed),
});

describe('GET /v1/reports/desk: figures of a known set of cases', () => {
  it('counts SLA attainment per ISO week and priority, merged duplicates left out', () => {
    expect(report.slaAttainment).toEqual([
      { week: '2030-W02', priority: 'P1', firstResponse: sla(0, 1, 0), resolution: sla(0, 1, 0) },
      { week: '2030-W02', priority: 'P2', firstResponse: sla(0, 1, 0), resolution: sla(0, 1, 0) },
      { week: '2030-W02', priority: 'P3', firstResponse: sla(2, 0, 0), resolution: sla(2, 0, 0) },
      { week: '2030-W03', priority: 'P3', firstResponse: sla(1, 0, 1), resolution: sla(1, 0, 1) },
      { week: '2030-W03', priority: 'P4', firstResponse: sla(0, 0, 1), resolution: sla(0, 0, 1) },
    ]);
  });

  it('gives the median and p90 (percentile_cont) of wall-clock minutes to first response and to resolution', () => {
    const figures = (rows: DeskReport['firstResponse']) =>
      Object.fromEntries(rows.map((r) => [r.priority, [r.count, r.medianMinutes, r.p90Minutes]]));
    const close = (actual: (number | null)[] | undefined, expected: (number | null)[]) => {
      expect(actual?.[0]).toBe(expected[0]);
      for (const i of [1, 2]) {
        if (expected[i] === null) expect(actual?.[i]).toBeNull();
        // The test clock keeps running between steps: a few milliseconds, far below a tenth of a minute.
        else expect(actual?.[i]).toBeCloseTo(expected[i] as number, 0);
      }
    };
    const first = figures(report.firstResponse);
    // P3: A 30, H 60, D 10; P2: B 90. p90 of [10, 30, 60] = 30 + 0.8 x 30.
    close(first.P1, [0, null, null]);
    close(first.P2, [1, 90, 90]);
    close(first.P3, [3, 30, 54]);
    close(first.P4, [0, null, null]);
    close(first.all, [4, 45, 81]);
    const resolution = figures(report.resolution);
    // A 120, H 60, D 20.
    close(resolution.P3, [3, 60, 108]);
    close(resolution.all, [3, 60, 108]);
    close(resolution.P2, [0, null, null]);
  });

  it('puts the open cases in age buckets as of now', () => {
    expect(report.backlog).toEqual([
      { age: '0-1h', P1: 0, P2: 0, P3: 0, P4: 1, total: 1 },
      { age: '1-4h', P1: 0, P2: 0, P3: 1, P4: 0, total: 1 },
      { age: '4-24h', P1: 0, P2: 0, P3: 0, P4: 0, total: 0 },
      { age: '1-3d', P1: 0, P2: 0, P3: 0, P4: 0, total: 0 },
      { age: '3-7d', P1: 0, P2: 0, P3: 0, P4: 0, total: 0 },
      { age: '7d+', P1: 1, P2: 1, P3: 0, P4: 0, total: 2 },
    ]);
  });

  it('counts cases by type and how they ended, satisfaction (as /v1/reports/satisfaction) and per-agent load', async () => {
    expect(report.byTypeAndOutcome).toEqual([
      { type: 'account_frozen', outcome: 'open', count: 1 },
      { type: 'account_lockout', outcome: 'false_positive', count: 1 },
      { type: 'account_lockout', outcome: 'open', count: 1 },
      { type: 'account_lockout', outcome: 'unlocked', count: 1 },
      { type: 'customer_complaint', outcome: 'customer_error', count: 1 },
      { type: 'customer_complaint', outcome: 'merged', count: 1 },
      { type: 'customer_question', outcome: 'open', count: 1 },
      { type: 'session_hijack_suspected', outcome: 'open', count: 1 },
    ]);
    expect(report.satisfaction.overall).toEqual({
      count: 1,
      average: 4,
      distribution: { 1: 0, 2: 0, 3: 0, 4: 1, 5: 0 },
    });
    const own = (await get(`/v1/reports/satisfaction?${periodQuery.replaceAll('.000Z', 'Z')}`)).json();
    expect(report.satisfaction).toEqual({
      overall: own.overall,
      byAgent: own.byAgent,
      byCaseType: own.byCaseType,
    });
    expect(report.agents).toEqual([
      { agent: '@risky', openAssigned: 0, resolvedInPeriod: 0 },
      { agent: 'alice', openAssigned: 0, resolvedInPeriod: 2 },
      { agent: 'bob', openAssigned: 1, resolvedInPeriod: 1 },
    ]);
  });

  it('counts only the period: a later period sees none of these openings', async () => {
    const later = (
      await get(
        `/v1/reports/desk?from=${new Date(T0 + 8 * DAY).toISOString()}&to=${new Date(T0 + 9 * DAY).toISOString()}`,
      )
    ).json() as DeskReport;
    expect(later.slaAttainment).toEqual([]);
    expect(later.byTypeAndOutcome).toEqual([]);
    expect(later.firstResponse.find((r) => r.priority === 'all')?.count).toBe(0);
    // The backlog is as of now, whatever the period.
    expect(later.backlog).toEqual(report.backlog);
  });
});

describe('GET /v1/reports/desk.csv', () => {
  it('answers RFC 4180 text/csv with the same figures, one per row, and a header', async () => {
    const res = await get(`/v1/reports/desk.csv?${periodQuery}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(res.headers['content-disposition']).toBe('attachment; filename="desk-report-2030-01-07-2030-01-15.csv"');
    const lines = res.body.split('\r\n');
    expect(lines[0]).toBe('section,key,subkey,metric,value');
    expect(lines.at(-1)).toBe('');
    expect(res.body.replaceAll('\r\n', '')).not.toMatch(/\n/);
    for (const line of lines.slice(1, -1)) expect(line.split(',')).toHaveLength(5);
    expect(lines).toContain('sla_attainment,2030-W02,P3,first_response_met,2');
    expect(lines).toContain('sla_attainment,2030-W02,P1,first_response_attainment,0');
    expect(lines).toContain('sla_attainment,2030-W03,P4,resolution_attainment,');
    expect(lines).toContain('backlog,7d+,total,open_cases,2');
    expect(lines).toContain('cases,customer_complaint,merged,count,1');
    expect(lines).toContain('satisfaction,case_type,customer_complaint,average,4');
    expect(lines).toContain('agents,bob,,resolved_in_period,1');
    // The agent named like a formula comes out as text.
    expect(lines).toContain("agents,'@risky,,open_assigned,0");
    expect(lines.filter((l) => /^[^,]*,[=+\-@]|,[=+\-@][^,]*,/.test(l))).toEqual([]);
  });

  it('neutralizes formulas in text cells and quotes what RFC 4180 needs quoted', () => {
    for (const text of ['=HYPERLINK("http://x")', '+1', '-2', '@SUM(A1)', '\tx', '\rx']) {
      expect(neutralizeFormula(text)).toBe(`'${text}`);
    }
    expect(neutralizeFormula('alice')).toBe('alice');
    expect(toCsv([['a,b', 'say "hi"', 'two\r\nlines', -3, null]])).toBe(
      'section,key,subkey,metric,value\r\n"a,b","say ""hi""","two\r\nlines",-3,\r\n',
    );
    expect(deskReportCsv(report).startsWith('section,key,subkey,metric,value\r\nperiod,,,from,')).toBe(true);
  });
});

describe('who may read, and which periods', () => {
  it('is for supervisors: an agent gets 403', async () => {
    for (const url of [`/v1/reports/desk?${periodQuery}`, `/v1/reports/desk.csv?${periodQuery}`]) {
      const res = await get(url, 'agent');
      expect([url, res.statusCode, res.json().error.code]).toEqual([url, 403, 'CASE_FORBIDDEN']);
    }
  });

  it('refuses a period longer than 366 days or not forward (400), and takes exactly 366 days', async () => {
    const to = new Date(T0).toISOString();
    const days = (n: number) => new Date(T0 - n * DAY).toISOString();
    for (const path of ['/v1/reports/desk', '/v1/reports/desk.csv', '/v1/reports/satisfaction']) {
      // A default `from` never reaches before 1970 (the first instant an answer can carry): a 400, not a 500.
      const atEpoch = await get(`${path}?to=1970-01-01T00:00:00.000Z`);
      expect([atEpoch.statusCode, atEpoch.json().error.code]).toEqual([400, 'CASE_REPORT_RANGE_INVALID']);
      const beforeEpoch = await get(`${path}?to=1969-12-31T00:00:00.000Z`);
      expect([beforeEpoch.statusCode, beforeEpoch.json().error.code]).toEqual([400, 'CASE_VALIDATION_FAILED']);
      const tooLong = await get(`${path}?from=${days(367)}&to=${to}`);
      expect([tooLong.statusCode, tooLong.json().error.code]).toEqual([400, 'CASE_REPORT_RANGE_INVALID']);
      const backwards = await get(`${path}?from=${to}&to=${days(1)}`);
      expect([backwards.statusCode, backwards.json().error.code]).toEqual([400, 'CASE_REPORT_RANGE_INVALID']);
      const empty = await get(`${path}?from=${to}&to=${to}`);
      expect(empty.statusCode).toBe(400);
      const notADate = await get(`${path}?from=yesterday`);
      expect([notADate.statusCode, notADate.json().error.code]).toEqual([400, 'CASE_VALIDATION_FAILED']);
      expect((await get(`${path}?from=${days(366)}&to=${to}`)).statusCode).toBe(200);
    }
  });
});
