import { deskReport as deskReportView } from '@wallet-guard/contracts';
import type { ZodTypeProvider } from '@wallet-guard/http';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { supportCasesOf } from '../application';
import { caseErrors } from '../errors';
import { commonErrors, ROUTE_DEPENDENCIES, security } from '../route-conventions';
import { deskReportCsv } from './desk-csv';
import { deskReport } from './desk-report';
import { DEFAULT_REPORT_DAYS, MAX_REPORT_DAYS, reportPeriod, reportPeriodQuery } from './report-period';

const periodQuery = reportPeriodQuery;

const PERIOD_DOC =
  `Period [from, to) (ISO 8601); without \`to\`: now; without \`from\`: ${DEFAULT_REPORT_DAYS} days before \`to\`. ` +
  `400 CASE_REPORT_RANGE_INVALID when from is not before to or the period exceeds ${MAX_REPORT_DAYS} days. ` +
  'Times to first response and to resolution are wall-clock minutes; SLA attainment follows each case’s ' +
  'calendar and pauses. Satisfaction: the figures of GET /v1/reports/satisfaction.';

/** The supervisors' desk report, as JSON for the console and as CSV for spreadsheets. */
export const reportRoutes = fp(
  async (app) => {
    const { db, context } = supportCasesOf(app);
    const routes = app.withTypeProvider<ZodTypeProvider>();

    const build = async (query: z.infer<typeof periodQuery>) => {
      const now = context.clock();
      const period = reportPeriod(query, now);
      if (!period.ok) throw caseErrors.reportRangeInvalid(period.message);
      return deskReport(db, period, now);
    };

    routes.get(
      '/v1/reports/desk',
      {
        schema: {
          tags: ['reports'],
          summary: `How the desk did (supervisors): SLA attainment per priority and ISO week, time to first response and to resolution (median, p90), backlog by age, cases by type and outcome, satisfaction, per-agent load. ${PERIOD_DOC}`,
          security: security.supervisor,
          querystring: periodQuery,
          response: { 200: deskReportView, ...commonErrors },
        },
      },
      async (request) => build(request.query),
    );

    routes.get(
      '/v1/reports/desk.csv',
      {
        schema: {
          tags: ['reports'],
          summary: `The desk report as text/csv (RFC 4180, header row \`section,key,subkey,metric,value\`, one figure per row; text cells that a spreadsheet would run as a formula start with '). ${PERIOD_DOC}`,
          security: security.supervisor,
          querystring: periodQuery,
          response: { 200: z.string().meta({ description: 'text/csv; charset=utf-8' }), ...commonErrors },
        },
      },
      async (request, reply) => {
        const report = await build(request.query);
        const name = `desk-report-${report.from.slice(0, 10)}-${report.to.slice(0, 10)}.csv`;
        return reply
          .header('content-type', 'text/csv; charset=utf-8; header=present')
          .header('content-disposition', `attachment; filename="${name}"`)
          .header('cache-control', 'no-store')
          .send(deskReportCsv(report));
      },
    );
  },
  { name: 'cases-report-routes', dependencies: ROUTE_DEPENDENCIES },
);
