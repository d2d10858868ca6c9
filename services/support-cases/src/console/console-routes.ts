import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { caseErrors } from '../errors';

/** Where `pnpm build:console` (and `npm start`) put the built console. */
const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../../console/dist', import.meta.url));

/** The console's paths, public like any sign-in page (the service kit's `publicRoutes`). */
export const CONSOLE_PUBLIC_ROUTES = ['/console', '/console/*'] as const;

export interface ConsoleOptions {
  /** The built console (index.html and assets/). */
  dir?: string;
}

/**
 * Serves the agent console at /console. The files are public, like any sign-in page: every
 * piece of data the console shows comes from the agent routes, which require the agent's token.
 * The security headers of the service kit apply unchanged (the console runs no inline script).
 * Before the console is built, /console answers 503 CASE_CONSOLE_NOT_BUILT saying how to build it;
 * the check runs per request, so a build finishing after the start is served at once. `/console`
 * and `/console/` are the same page (the service kit's router ignores a trailing slash).
 */
export const consoleRoutes = fp<ConsoleOptions>(
  async (app, options) => {
    const dir = options.dir ?? DEFAULT_CONSOLE_DIR;
    // Its own scope: the hook below guards the console's files only.
    await app.register(async function consoleFiles(scope: FastifyInstance) {
      scope.addHook('onRequest', async () => {
        if (!existsSync(join(dir, 'index.html'))) throw caseErrors.consoleNotBuilt();
      });
      await scope.register(fastifyStatic, {
        root: dir,
        prefix: '/console/',
        index: 'index.html',
        // Build output is checked per request instead (above); no warning at start when missing.
        suppressWarning: true,
        setHeaders(reply, path) {
          // Asset names carry a content hash; the page itself must be fetched fresh after a deploy.
          reply.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
        },
      });
      // The router ignores trailing slashes, so `/console/` lands here too, not on `/console/*`.
      scope.get('/console', { schema: { hide: true } }, (_request, reply) => reply.sendFile('index.html'));
    });
  },
  { name: 'cases-console', dependencies: ['service-kit'] },
);
