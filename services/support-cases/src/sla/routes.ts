import { errorBody, type ZodTypeProvider } from '@wallet-guard/http';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { agentOf } from '../agents/agent-auth';
import { supportCasesOf } from '../application';
import { actorLabel } from '../cases/actor';
import { caseErrors } from '../errors';
import { commonErrors, ROUTE_DEPENDENCIES, security } from '../route-conventions';
import { ALWAYS } from './business-calendar';
import { type CalendarSettingsVersion, calendarProblem } from './calendar-settings';
import {
  currentCalendarSettings,
  findCalendarVersion,
  listCalendarVersions,
  saveCalendarSettings,
} from './calendar-store';

/** Versions are Postgres `integer`s: a larger number is no version, refused as 400 (never a 500). */
const PG_INT_MAX = 2_147_483_647;
const calendarVersion = z.coerce.number().int().positive().max(PG_INT_MAX);

/** "HH:MM" on a 24-hour clock; "24:00" is the end of the day. */
const localTime = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, { message: 'must be HH:MM, 00:00 to 24:00' });
const hoursRange = z.object({ start: localTime, end: localTime });
const dayHours = z.array(hoursRange).max(12).default([]);
const weeklyHours = z.object({
  monday: dayHours,
  tuesday: dayHours,
  wednesday: dayHours,
  thursday: dayHours,
  friday: dayHours,
  saturday: dayHours,
  sunday: dayHours,
});
const calendarName = z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, {
  message: 'must be 1-40 lowercase letters, digits, "-" or "_", starting with a letter',
});
const businessCalendar = z.object({
  /** IANA time-zone name. */
  timeZone: z.string().min(1).max(64),
  weeklyHours,
  /** Local dates (ISO 8601, YYYY-MM-DD) on which nothing counts. */
  holidays: z.array(z.iso.date()).max(1000).default([]),
});
const calendars = z
  .record(calendarName, businessCalendar)
  .refine((c) => Object.keys(c).length <= 20, { message: 'at most 20 calendars' });
const priorities = z.object({ P1: calendarName, P2: calendarName, P3: calendarName, P4: calendarName });

const example = {
  calendars: {
    business: {
      timeZone: 'Europe/London',
      weeklyHours: {
        monday: [{ start: '09:00', end: '17:30' }],
        tuesday: [{ start: '09:00', end: '17:30' }],
        wednesday: [{ start: '09:00', end: '17:30' }],
        thursday: [{ start: '09:00', end: '17:30' }],
        friday: [
          { start: '09:00', end: '12:30' },
          { start: '13:30', end: '17:00' },
        ],
        saturday: [],
        sunday: [],
      },
      holidays: ['2026-12-25', '2026-12-28', '2027-01-01'],
    },
  },
  priorities: { P1: ALWAYS, P2: 'business', P3: 'business', P4: 'business' },
};

const settingsView = z
  .object({
    version: z.number().int().positive(),
    changedAt: z.iso.datetime(),
    /** "system" (the configured defaults) or "agent:<name>". */
    changedBy: z.string(),
    note: z.string().nullable(),
    calendars,
    priorities,
  })
  .meta({
    examples: [{ version: 2, changedAt: '2026-11-29T10:00:00.000Z', changedBy: 'agent:sam', note: null, ...example }],
  });

const toView = (v: CalendarSettingsVersion & { note: string | null }) => ({
  version: v.version,
  changedAt: v.changedAt.toISOString(),
  changedBy: v.changedBy,
  note: v.note,
  calendars: v.calendars as z.infer<typeof calendars>,
  priorities: v.priorities,
});

/**
 * The business-hours calendars SLAs count in: agents read them (to explain a case's deadlines,
 * which count in the version the case records), supervisors change them. Every change is a new
 * version, kept with who saved it and when (the append-only `sla_calendar_versions`: the audit
 * trail of these settings); cases already open keep the version they opened with.
 */
export const slaCalendarRoutes = fp(
  async (app) => {
    const { db, context } = supportCasesOf(app);
    const routes = app.withTypeProvider<ZodTypeProvider>();
    const defaults = context.sla.defaultCalendars;

    routes.get(
      '/v1/sla/calendars',
      {
        schema: {
          tags: ['sla'],
          summary: 'The calendar settings in force (new cases count their deadlines in these)',
          security: security.agent,
          response: { 200: settingsView, ...commonErrors },
        },
      },
      async () => toView(await currentCalendarSettings(db, defaults, context.clock())),
    );

    routes.put(
      '/v1/sla/calendars',
      {
        schema: {
          tags: ['sla'],
          summary:
            'Save new calendar settings as the next version (supervisors). 409 CASE_CALENDAR_VERSION_CONFLICT when ' +
            '`expectedVersion` is no longer current; 422 CASE_CALENDAR_INVALID_TIME_ZONE, CASE_CALENDAR_INVERTED_RANGE, ' +
            'CASE_CALENDAR_OVERLAPPING_RANGES, CASE_CALENDAR_EMPTY_WEEK, CASE_CALENDAR_RESERVED_NAME, CASE_CALENDAR_UNKNOWN',
          security: security.supervisor,
          body: z
            .object({
              /** The version these settings were edited from (optimistic concurrency). */
              expectedVersion: z.number().int().positive().max(PG_INT_MAX),
              calendars,
              priorities,
              /** Why (kept in the audit trail). */
              note: z.string().trim().min(1).max(500).optional(),
            })
            .meta({ examples: [{ expectedVersion: 1, note: 'London office hours', ...example }] }),
          response: { 200: settingsView, ...commonErrors, 409: errorBody, 422: errorBody },
        },
      },
      async (request) => {
        const agent = agentOf(request);
        const { expectedVersion, note, ...settings } = request.body;
        const problem = calendarProblem(settings);
        if (problem) throw caseErrors.calendarInvalid(problem);
        const now = context.clock();
        const current = await currentCalendarSettings(db, defaults, now);
        if (current.version !== expectedVersion)
          throw caseErrors.calendarVersionConflict(expectedVersion, current.version);
        const saved = await saveCalendarSettings(db, {
          expectedVersion,
          settings,
          changedBy: actorLabel(agent),
          note: note ?? null,
          at: now,
        });
        if (!saved) {
          const latest = await currentCalendarSettings(db, defaults, now);
          throw caseErrors.calendarVersionConflict(expectedVersion, latest.version);
        }
        request.log.info({ version: saved.version, changedBy: saved.changedBy }, 'SLA calendar settings changed');
        return toView(saved);
      },
    );

    routes.get(
      '/v1/sla/calendars/versions',
      {
        schema: {
          tags: ['sla'],
          summary: 'Every saved version, newest first: who changed the calendars, when and why',
          security: security.agent,
          querystring: z.object({
            before: calendarVersion.optional(),
            limit: z.coerce.number().int().min(1).max(100).default(20),
          }),
          response: { 200: z.object({ versions: z.array(settingsView) }), ...commonErrors },
        },
      },
      async (request) => {
        await currentCalendarSettings(db, defaults, context.clock());
        const versions = await listCalendarVersions(db, request.query);
        return { versions: versions.map(toView) };
      },
    );

    routes.get(
      '/v1/sla/calendars/versions/:version',
      {
        schema: {
          tags: ['sla'],
          summary: 'One version (each case records the version its deadlines count in)',
          security: security.agent,
          params: z.object({ version: calendarVersion }),
          response: { 200: settingsView, ...commonErrors, 404: errorBody },
        },
      },
      async (request) => {
        const found = await findCalendarVersion(db, request.params.version);
        if (!found) throw caseErrors.calendarVersionNotFound(request.params.version);
        return toView(found);
      },
    );
  },
  { name: 'cases-sla-calendar-routes', dependencies: ROUTE_DEPENDENCIES },
);
