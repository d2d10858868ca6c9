import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import csrfProtection from '@fastify/csrf-protection';
import formBody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import secureSession from '@fastify/secure-session';
import type { PortalConfig } from '@wallet-guard/config';
import fp from 'fastify-plugin';
import { portalErrors } from '../errors';
import { cookieAttributes, cookieNames } from './cookies';

/** The plugin name the application and route plugins depend on. */
export const PORTAL_WEB = 'portal-web';

/** A session lasts at most this long without a new sign-in, whatever auth's refresh tokens allow. */
const SESSION_MAX_AGE_SECONDS = 8 * 3600;

const asset = (name: string) => readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8');

/**
 * `@simplewebauthn/browser`'s own minified UMD bundle (it defines `window.SimpleWebAuthnBrowser`),
 * served as published from the portal's dependency, so no build step and no inline code: the
 * package exports only its modules, so the bundle is found beside its CommonJS entry.
 */
const webAuthnBundle = (): string => {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@simplewebauthn/browser');
  return readFileSync(join(dirname(entry), '..', 'dist', 'bundle', 'index.umd.min.js'), 'utf8');
};

/** The files the pages load: served from memory, cacheable for an hour. */
const ASSETS = {
  '/assets/portal.js': { type: 'text/javascript; charset=utf-8', body: asset('portal.js') },
  '/assets/portal.css': { type: 'text/css; charset=utf-8', body: asset('portal.css') },
  /** Wires the passkey buttons; loads the library below only on pages that have one. */
  '/assets/passkeys.js': { type: 'text/javascript; charset=utf-8', body: asset('passkeys.js') },
  '/assets/simplewebauthn-browser.js': { type: 'text/javascript; charset=utf-8', body: webAuthnBundle() },
} as const;

/** Browsers ask for it on every site; an empty answer keeps a 404 out of their console. */
const FAVICON = '/favicon.ico';

export const ASSET_PATHS = [...Object.keys(ASSETS), FAVICON];

/**
 * The browser side of the portal, infrastructure tier: HTML forms (urlencoded bodies), the
 * session in an encrypted cookie (libsodium secretbox; `HttpOnly`, `SameSite=Lax`, and in
 * production `Secure` with the `__Host-` prefix), the CSRF secret inside that session, the
 * per-IP limit routes opt into (`config.rateLimit`), and the script and stylesheet.
 */
export const portalWeb = fp<{ config: PortalConfig }>(
  async (app, { config }) => {
    const secure = config.secureCookies;
    const names = cookieNames(secure);
    await app.register(formBody, { bodyLimit: 16 * 1024 });
    await app.register(secureSession, {
      key: Buffer.from(config.sessionKeyBase64, 'base64'),
      cookieName: names.session,
      expiry: SESSION_MAX_AGE_SECONDS,
      cookie: { ...cookieAttributes(secure), maxAge: SESSION_MAX_AGE_SECONDS },
    });
    await app.register(csrfProtection, {
      sessionPlugin: '@fastify/secure-session',
      // Forms only: the token travels in the body, never in a header or query.
      getToken: (request) => (request.body as { _csrf?: string } | undefined)?._csrf,
    });
    await app.register(rateLimit, {
      global: false,
      errorResponseBuilder: (_request, context) => portalErrors.rateLimited(Math.ceil(context.ttl / 1000)),
    });

    for (const [path, file] of Object.entries(ASSETS)) {
      app.get(path, { schema: { hide: true } }, async (_request, reply) =>
        reply.header('cache-control', 'public, max-age=3600').type(file.type).send(file.body),
      );
    }
    app.get(FAVICON, { schema: { hide: true } }, async (_request, reply) =>
      reply.header('cache-control', 'public, max-age=86400').status(204).send(),
    );
  },
  { name: PORTAL_WEB, dependencies: ['service-kit'] },
);
