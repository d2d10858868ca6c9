import { timingSafeEqual } from 'node:crypto';
import { type ApiKey, type ApiKeySet, sha256Hex } from '@wallet-guard/config';
import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from './errors';

export interface Caller {
  name: string;
  scopes: readonly string[];
}

declare module 'fastify' {
  interface FastifyInstance {
    /** onRequest hook: the caller must present an X-Api-Key holding `scope`. */
    requireApiKey(scope: string): onRequestHookHandler;
  }
  interface FastifyRequest {
    /** The application that called, once `requireApiKey` passed. */
    caller: Caller | null;
  }
}

export interface ApiKeyPluginOptions {
  keys: ApiKeySet;
  errorPrefix: string;
}

/** Finds the key whose hash matches, comparing every key in constant time. */
function findApiKey(keys: readonly ApiKey[], presented: string): ApiKey | undefined {
  const hash = Buffer.from(sha256Hex(presented), 'hex');
  let found: ApiKey | undefined;
  for (const key of keys) {
    if (timingSafeEqual(hash, Buffer.from(key.sha256, 'hex'))) found = key;
  }
  return found;
}

/**
 * X-Api-Key authentication for calling applications (the wallet backend, our own services).
 * Missing or unknown key: 401 `<PREFIX>_UNAUTHENTICATED`; known key without the scope: 403
 * `<PREFIX>_FORBIDDEN`. The key itself is never logged (the logger redacts the header).
 */
export const apiKeyPlugin = fp<ApiKeyPluginOptions>(
  async (app: FastifyInstance, { keys, errorPrefix }) => {
    app.decorateRequest('caller', null);
    app.decorate('requireApiKey', (scope: string): onRequestHookHandler => {
      return async (request: FastifyRequest) => {
        const header = request.headers['x-api-key'];
        const presented = Array.isArray(header) ? header[0] : header;
        const key = presented ? findApiKey(keys.keys, presented) : undefined;
        if (!key) {
          throw new AppError(401, `${errorPrefix}_UNAUTHENTICATED`, 'A valid X-Api-Key header is required');
        }
        if (!key.scopes.includes(scope)) {
          throw new AppError(403, `${errorPrefix}_FORBIDDEN`, `This API key lacks the "${scope}" scope`);
        }
        request.caller = { name: key.name, scopes: key.scopes };
      };
    });
    app.registerAuthenticator('apiKey', (scope) => {
      if (!scope) throw new Error('an apiKey requirement names its scope: requires({ apiKey: "wallet" })');
      return app.requireApiKey(scope);
    });
  },
  { name: 'api-keys', fastify: '5.x', dependencies: ['service-kit'] },
);
