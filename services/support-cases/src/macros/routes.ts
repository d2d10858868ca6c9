import { randomUUID } from 'node:crypto';
import { errorBody, macroInput, macroList, macroView, renderedMacroView } from '@wallet-guard/contracts';
import type { ZodTypeProvider } from '@wallet-guard/http';
import { SUPPORTED_LOCALES } from '@wallet-guard/i18n';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { agentOf } from '../agents/agent-auth';
import { supportCasesOf } from '../application';
import { actorLabel } from '../cases/actor';
import { caseErrors } from '../errors';
import { commonErrors, ROUTE_DEPENDENCIES, security } from '../route-conventions';
import { renderMacro } from './macro-reply';
import {
  findMacro,
  latestMacroVersion,
  listMacros,
  listMacroVersions,
  type MacroContent,
  type MacroVersion,
  saveMacroVersion,
} from './macro-store';
import { PLACEHOLDERS, parseTemplate } from './macro-template';

const toView = (m: MacroVersion) => ({
  id: m.id,
  version: m.version,
  name: m.name,
  texts: m.texts,
  setStatus: m.setStatus,
  visibility: m.visibility,
  deleted: m.deleted,
  changedBy: m.changedBy,
  changedAt: m.changedAt.toISOString(),
});

/** 422 for the first text with an unknown or malformed placeholder (checked before anything is saved). */
function assertTemplates(texts: MacroContent['texts']): void {
  for (const locale of SUPPORTED_LOCALES) {
    const text = texts[locale];
    if (text === undefined) continue;
    const parsed = parseTemplate(text);
    if ('problem' in parsed) {
      const { problem } = parsed;
      throw caseErrors.macroTemplateInvalid(problem.code, {
        locale,
        offset: problem.offset,
        ...(problem.code === 'CASE_MACRO_UNKNOWN_PLACEHOLDER' ? { placeholder: problem.placeholder } : {}),
        known: PLACEHOLDERS,
      });
    }
  }
}

const example = {
  name: 'Unlocked: sign in again',
  texts: {
    en: 'Hello {{customerName}}, your account is {{accountState}} again. Case {{caseNumber}}. {{agentName}}',
    'zh-CN': '{{customerName}}，您好！您的账户现在{{accountState}}。案件编号 {{caseNumber}}。{{agentName}}',
  },
  setStatus: 'pending_customer' as const,
  visibility: 'public' as const,
};

const macroParams = z.object({ macroId: z.uuid() });
const errors = { ...commonErrors, 404: errorBody };

/**
 * Macros: saved replies per language with `{{placeholders}}`, optionally setting the case's status
 * and the note's visibility. Agents list them and render one for a case (then edit the text and
 * send it with POST /v1/cases/:id/notes and its `macroId`); supervisors create, change and delete
 * them. Every change is a new version kept with who saved it and when (`case_macro_versions`,
 * append-only: the audit trail of the macros).
 */
export const macroRoutes = fp(
  async (app) => {
    const { db, auth, context } = supportCasesOf(app);
    const routes = app.withTypeProvider<ZodTypeProvider>();

    routes.get(
      '/v1/macros',
      {
        schema: {
          tags: ['macros'],
          summary: 'The macros in use (their latest versions), by name',
          security: security.agent,
          response: { 200: macroList, ...commonErrors },
        },
      },
      async () => ({ items: (await listMacros(db)).map(toView) }),
    );

    routes.post(
      '/v1/macros',
      {
        schema: {
          tags: ['macros'],
          summary:
            'Save a new macro (supervisors). 422 CASE_MACRO_UNKNOWN_PLACEHOLDER or CASE_MACRO_MALFORMED_PLACEHOLDER ' +
            'when a text uses a `{{name}}` that is not customerName, caseNumber, accountState or agentName',
          security: security.supervisor,
          body: macroInput.meta({ examples: [example] }),
          response: { 201: macroView, ...commonErrors, 422: errorBody },
        },
      },
      async (request, reply) => {
        const agent = agentOf(request);
        assertTemplates(request.body.texts);
        const saved = await saveMacroVersion(db, {
          id: randomUUID(),
          expectedVersion: 0,
          content: request.body,
          deleted: false,
          changedBy: actorLabel(agent),
          at: context.clock(),
        });
        // A fresh uuid has no versions: only a uuid collision could lose this race.
        if (!saved) throw caseErrors.macroVersionConflict(0);
        request.log.info({ macroId: saved.id, version: saved.version, changedBy: saved.changedBy }, 'macro created');
        return reply.status(201).send(toView(saved));
      },
    );

    routes.put(
      '/v1/macros/:macroId',
      {
        schema: {
          tags: ['macros'],
          summary:
            'Save a macro as its next version (supervisors). 409 CASE_MACRO_VERSION_CONFLICT when `expectedVersion` ' +
            'is no longer the latest; 422 as for a new macro',
          security: security.supervisor,
          params: macroParams,
          body: macroInput
            .extend({
              /** The version this was edited from (optimistic concurrency). */
              // A Postgres integer, and the next version (+1) must fit too: larger is a 400, never a 500.
              expectedVersion: z.number().int().positive().max(2_147_483_646),
            })
            .meta({ examples: [{ ...example, expectedVersion: 1 }] }),
          response: { 200: macroView, ...errors, 409: errorBody, 422: errorBody },
        },
      },
      async (request) => {
        const agent = agentOf(request);
        const { expectedVersion, ...content } = request.body;
        if (!(await findMacro(db, request.params.macroId))) throw caseErrors.macroNotFound();
        assertTemplates(content.texts);
        const saved = await saveMacroVersion(db, {
          id: request.params.macroId,
          expectedVersion,
          content,
          deleted: false,
          changedBy: actorLabel(agent),
          at: context.clock(),
        });
        if (!saved) throw caseErrors.macroVersionConflict(expectedVersion);
        request.log.info({ macroId: saved.id, version: saved.version, changedBy: saved.changedBy }, 'macro changed');
        return toView(saved);
      },
    );

    routes.delete(
      '/v1/macros/:macroId',
      {
        schema: {
          tags: ['macros'],
          summary:
            'Delete a macro (supervisors): a last version marks it deleted; its versions stay in the audit trail. ' +
            '409 CASE_MACRO_VERSION_CONFLICT when it changed at the same moment',
          security: security.supervisor,
          params: macroParams,
          response: { 204: z.null().describe('Deleted'), ...errors, 409: errorBody },
        },
      },
      async (request, reply) => {
        const agent = agentOf(request);
        const latest = await latestMacroVersion(db, request.params.macroId);
        if (!latest || latest.deleted) throw caseErrors.macroNotFound();
        const saved = await saveMacroVersion(db, {
          id: latest.id,
          expectedVersion: latest.version,
          content: latest,
          deleted: true,
          changedBy: actorLabel(agent),
          at: context.clock(),
        });
        if (!saved) throw caseErrors.macroVersionConflict(latest.version);
        request.log.info({ macroId: saved.id, version: saved.version, changedBy: saved.changedBy }, 'macro deleted');
        return reply.status(204).send(null);
      },
    );

    routes.get(
      '/v1/macros/:macroId/versions',
      {
        schema: {
          tags: ['macros'],
          summary: 'Every version of a macro, newest first: who created, changed or deleted it, and when',
          security: security.agent,
          params: macroParams,
          response: { 200: z.object({ versions: z.array(macroView) }), ...errors },
        },
      },
      async (request) => {
        const versions = await listMacroVersions(db, request.params.macroId);
        if (versions.length === 0) throw caseErrors.macroNotFound();
        return { versions: versions.map(toView) };
      },
    );

    routes.post(
      '/v1/cases/:id/macros/:macroId/render',
      {
        schema: {
          tags: ['macros'],
          summary:
            "A macro written out for a case in the case's language (the other language only when the macro has " +
            'none in it: `fellBack`), placeholders filled in: the text the agent edits, then sends with ' +
            'POST /v1/cases/:id/notes and `macroId`. 503 CASE_UPSTREAM_UNAVAILABLE when the text needs the account ' +
            'and auth does not answer',
          security: security.agent,
          params: z.object({ id: z.uuid(), macroId: z.uuid() }),
          body: z.object({}).nullish(),
          response: { 200: renderedMacroView, ...errors, 503: errorBody },
        },
      },
      async (request) =>
        renderMacro(
          { db, auth },
          {
            caseId: request.params.id,
            macroId: request.params.macroId,
            agent: agentOf(request),
            httpRequestId: request.id,
          },
        ),
    );
  },
  { name: 'cases-macro-routes', dependencies: ROUTE_DEPENDENCIES },
);
