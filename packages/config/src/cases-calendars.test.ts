import { describe, expect, it } from 'vitest';
import { casesConfigSchema } from './cases';
import { ConfigError, parseConfig } from './load-config';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    parseConfig(casesConfigSchema, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('support-cases calendar defaults', () => {
  it('defaults to P1 24/7 and P2-P4 Monday to Friday 09:00-17:00 UTC, and no on-call address', () => {
    const config = parseConfig(casesConfigSchema, {});
    expect(config.sla.defaultCalendars.priorities).toEqual({
      P1: 'always',
      P2: 'business',
      P3: 'business',
      P4: 'business',
    });
    const business = config.sla.defaultCalendars.calendars.business;
    expect(business?.timeZone).toBe('UTC');
    expect(business?.weeklyHours.monday).toEqual([{ start: '09:00', end: '17:00' }]);
    expect(business?.weeklyHours.saturday).toEqual([]);
    expect(business?.holidays).toEqual([]);
    expect(config.escalation).toEqual({ onCallEmail: null });
    // An empty line in .env is unset.
    expect(parseConfig(casesConfigSchema, { CASES_ONCALL_EMAIL: '' }).escalation.onCallEmail).toBeNull();
  });

  it('reads hours with several ranges a day, holidays and the on-call address', () => {
    const config = parseConfig(casesConfigSchema, {
      CASES_BUSINESS_TIME_ZONE: 'Asia/Shanghai',
      CASES_BUSINESS_HOURS: 'mon-fri=09:00-12:00,13:00-18:00;sat=10:00-14:00',
      CASES_BUSINESS_HOLIDAYS: '2027-02-06, 2027-02-07',
      CASES_ONCALL_EMAIL: 'oncall@example.com',
    });
    const business = config.sla.defaultCalendars.calendars.business;
    expect(business?.weeklyHours.friday).toEqual([
      { start: '09:00', end: '12:00' },
      { start: '13:00', end: '18:00' },
    ]);
    expect(business?.weeklyHours.saturday).toEqual([{ start: '10:00', end: '14:00' }]);
    expect(business?.weeklyHours.sunday).toEqual([]);
    expect(business?.holidays).toEqual(['2027-02-06', '2027-02-07']);
    expect(config.escalation.onCallEmail).toBe('oncall@example.com');
  });

  it('stops on a zone, hours, holiday, mapping or address that cannot work, naming the variable', () => {
    expect(problemsOf({ CASES_BUSINESS_TIME_ZONE: 'Europe/Londres' })[0]).toMatch(/^CASES_BUSINESS_TIME_ZONE: /);
    expect(problemsOf({ CASES_BUSINESS_HOURS: 'mon-fri=17:00-09:00' })).toEqual([
      'CASES_BUSINESS_HOURS: 17:00-09:00 ends before it starts',
    ]);
    expect(problemsOf({ CASES_BUSINESS_HOURS: 'mon=09:00-13:00,12:00-17:00' })).toEqual([
      'CASES_BUSINESS_HOURS: monday has overlapping ranges',
    ]);
    expect(problemsOf({ CASES_BUSINESS_HOURS: 'weekdays 9 to 5' })[0]).toMatch(/^CASES_BUSINESS_HOURS: must look like/);
    expect(problemsOf({ CASES_BUSINESS_HOURS: ';' })).toEqual([
      'CASES_BUSINESS_HOURS: must give hours on at least one day',
    ]);
    expect(problemsOf({ CASES_BUSINESS_HOLIDAYS: '25/12/2026' })[0]).toMatch(/^CASES_BUSINESS_HOLIDAYS: /);
    expect(problemsOf({ CASES_BUSINESS_HOLIDAYS: '2026-02-30' })[0]).toMatch(/^CASES_BUSINESS_HOLIDAYS: /);
    expect(problemsOf({ CASES_SLA_CALENDARS: 'P1=always,P2=business' })).toEqual([
      'CASES_SLA_CALENDARS: must give all four priorities P1 to P4',
    ]);
    expect(problemsOf({ CASES_SLA_CALENDARS: 'P1=night,P2=business,P3=business,P4=business' })[0]).toMatch(
      /^CASES_SLA_CALENDARS: must look like/,
    );
    expect(problemsOf({ CASES_ONCALL_EMAIL: 'on-call' })).toEqual(['CASES_ONCALL_EMAIL: must be an e-mail address']);
  });
});
