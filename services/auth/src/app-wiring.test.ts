// Every route plugin declares what it uses: registered without the application context (or,
// for user routes, without the Bearer check) the service must refuse to boot, not answer 500s.
import Fastify, { type FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { describe, expect, it } from 'vitest';
import { accountRoutes } from './accounts/routes';
import { freezeRoutes } from './freeze/routes';
import { unlockRoutes } from './lockout/routes';
import { passwordResetRoutes } from './password-resets/routes';
import { passwordRoutes } from './passwords/routes';
import { ownSecurityEventRoutes } from './security-events/own-routes';
import { securityEventRoutes } from './security-events/routes';
import { sessionRoutes } from './sessions/routes';
import { tokenRoutes } from './tokens/routes';
import { userAuthPlugin } from './tokens/user-auth';
import { twoFactorRoutes } from './two-factor/routes';

/** A plugin that only carries a name, standing in for the real one of that name. */
const stub = (name: string) => fp(async () => {}, { name });

const routePlugins: Array<[string, FastifyPluginAsync, { user: boolean }]> = [
  ['accounts', accountRoutes, { user: true }],
  ['sessions', sessionRoutes, { user: true }],
  ['passwords', passwordRoutes, { user: true }],
  ['password resets', passwordResetRoutes, { user: false }],
  ['unlock', unlockRoutes, { user: false }],
  ['freeze', freezeRoutes, { user: true }],
  ['tokens', tokenRoutes, { user: false }],
  ['security events', securityEventRoutes, { user: false }],
  ['own security events', ownSecurityEventRoutes, { user: true }],
  ['two-factor', twoFactorRoutes, { user: true }],
];

async function bootWithout(missing: string, plugin: FastifyPluginAsync): Promise<unknown> {
  const app = Fastify();
  for (const name of ['service-kit', 'api-keys', 'auth-application', 'user-auth']) {
    if (name !== missing) await app.register(stub(name));
  }
  try {
    await app.register(plugin);
    await app.ready();
    return undefined;
  } catch (error) {
    return error;
  } finally {
    await app.close().catch(() => {});
  }
}

describe('route plugins declare their dependencies', () => {
  it.each(routePlugins)('%s routes refuse to boot without the application context', async (_name, plugin) => {
    const error = await bootWithout('auth-application', plugin);
    expect(String(error)).toMatch(/auth-application/);
  });

  it.each(routePlugins.filter(([, , { user }]) => user))(
    '%s routes refuse to boot without the Bearer check',
    async (_name, plugin) => {
      const error = await bootWithout('user-auth', plugin);
      expect(String(error)).toMatch(/user-auth/);
    },
  );

  it.each(['api-keys', 'auth-application'])('the Bearer check refuses to boot without %s', async (missing) => {
    const error = await bootWithout(missing, userAuthPlugin);
    expect(String(error)).toMatch(new RegExp(missing));
  });
});
