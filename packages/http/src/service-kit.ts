import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { OperationsConfig } from '@wallet-guard/config';
import { errorBody, healthBody, readinessBody } from '@wallet-guard/contracts';
import {
  createMetricsRegistry,
  type ReadinessCheck,
  type Registry,
  runReadinessChecks,
} from '@wallet-guard/observability';
import type { FastifyError } from 'fastify';
import metricsPlugin from 'fastify-metrics';
import fp from 'fastify-plugin';
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import promClient from 'prom-client';
import { AppError, errorPayload } from './errors';
import {
  type Authenticator,
  type DeferredCheck,
  guardRoute,
  PublicRoutes,
  requires,
  type SecurityScheme,
} from './route-access';
import { isUnavailableError } from './unavailable';
import { findUnstorableText } from './unstorable-text';

export interface ServiceKitOptions {
  /** Service name for docs and logs. */
  service: string;
  title: string;
  description: string;
  version: string;
  /** Prefix of every error code this service sends: AUTH, TXM, CASE. */
  errorPrefix: string;
  /** Dependencies `/readyz` checks (database, kafka when configured). */
  readiness: Record<string, ReadinessCheck>;
  /** Registries owned by the process (event bus, consumers) to serve beside the app's own. */
  sharedMetrics: Registry[];
  /**
   * Routes of this service that need no credential (exact paths, or prefixes ending in `*`),
   * beside the kit's own: /healthz, /readyz, /metrics and /docs. Every other route must declare
   * `requires(...)` or the service does not start.
   */
  publicRoutes?: readonly string[];
  /**
   * Who may read /metrics and how much /readyz tells (`config.operations`). Omitted: both open and
   * detailed, as in development; every service passes its config, which closes them in production.
   */
  operations?: OperationsConfig | undefined;
}

/**
 * The kit's own routes that answer anyone: probes, the API documents, and metrics scrapes unless
 * `operations.metricsScope` asks for a key.
 */
const KIT_PUBLIC_ROUTES = ['/healthz', '/readyz', '/metrics', '/docs', '/docs/*'] as const;

declare module 'fastify' {
  interface FastifyInstance {
    /** This app's Prometheus registry: register the service's own metrics here. */
    metricsRegistry: Registry;
    /**
     * How a security scheme of `requires(...)` is checked (the API-key plugin registers `apiKey`,
     * a service its `bearer`). Register before the routes that use the scheme.
     */
    registerAuthenticator(scheme: SecurityScheme, authenticator: Authenticator): void;
  }
}

/** Fastify's own error codes mapped to the status and suffix we answer with. */
const FRAMEWORK_ERRORS: Record<string, [number, string, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'BODY_TOO_LARGE', 'The request body is too large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'INVALID_JSON', 'The body is empty but JSON was declared'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'INVALID_JSON', 'The body is not valid JSON'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'BAD_REQUEST', 'Content-Length does not match the body'],
  FST_ERR_CTP_INVALID_TYPE: [400, 'BAD_REQUEST', 'Invalid Content-Type header'],
  FST_ERR_BAD_URL: [400, 'BAD_REQUEST', 'The URL is malformed'],
  FST_ERR_ASYNC_CONSTRAINT: [400, 'BAD_REQUEST', 'The request could not be routed'],
};

/**
 * Everything a service has in common, registered first: zod validation and serialization,
 * OpenAPI 3.1 from the route schemas (served at /docs), security headers, Prometheus metrics
 * at /metrics, /healthz and /readyz, and one error handler that answers every failure with
 * `{ error: { code, message, details } }` and never leaks internals on a 5xx.
 */
export const serviceKit = fp<ServiceKitOptions>(
  async (app, options) => {
    const { errorPrefix } = options;
    const registry = createMetricsRegistry(options.service);
    app.decorate('metricsRegistry', registry);
    // First, so every route after it (the kit's, the docs', the service's) is checked.
    const authenticators = new Map<SecurityScheme, Authenticator>();
    const metricsScope = options.operations?.metricsScope;
    const kitPublic = KIT_PUBLIC_ROUTES.filter((path) => !(metricsScope && path === '/metrics'));
    const publicRoutes = new PublicRoutes([...kitPublic, ...(options.publicRoutes ?? [])]);
    app.decorate('registerAuthenticator', (scheme: SecurityScheme, authenticator: Authenticator) => {
      authenticators.set(scheme, authenticator);
    });
    // The kit's own /metrics may need the API-key scheme, which registers after the kit: its check
    // is resolved on first use, and a scheme still missing once the app is loaded stops the start.
    const deferred: DeferredCheck[] = [];
    app.addHook('onRoute', (route) => guardRoute(route, publicRoutes, authenticators, deferred));
    app.addHook('onReady', async () => {
      const missing = deferred.find((d) => !authenticators.has(d.scheme));
      if (missing)
        throw new Error(
          `${missing.route} requires ${missing.scheme}, but no ${missing.scheme} authenticator is registered`,
        );
    });

    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);

    app.addHook('onSend', async (request, reply) => {
      reply.header('x-request-id', request.id);
      // Answers carry tokens, recovery codes, TOTP secrets and account data: no browser, proxy or
      // CDN may keep a copy (RFC 9111 section 5.2.2.5; OWASP ASVS 8.2.1). A route that wants caching
      // (static files) sets its own header.
      if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    });

    await app.register(helmet, {
      // The JSON API needs no CSP exceptions; the docs UI sets its own (staticCSP below).
      contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], frameAncestors: ["'none'"] } },
      crossOriginResourcePolicy: { policy: 'same-site' },
    });

    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: { title: options.title, description: options.description, version: options.version },
        components: {
          securitySchemes: {
            apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
            bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          },
        },
      },
      transform: jsonSchemaTransform,
    });
    await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });

    await app.register(metricsPlugin, {
      endpoint: null,
      defaultMetrics: { enabled: false },
      routeMetrics: {
        enabled: { histogram: true, summary: false },
        registeredRoutesOnly: true,
        routeBlacklist: ['/metrics', '/healthz', '/readyz'],
        overrides: { histogram: { registers: [registry] }, summary: { registers: [registry] } },
      },
      promClient,
    });

    // Before the route schemas: text Postgres cannot store (NUL, lone surrogates) would fail as a 500.
    app.addHook('preValidation', async (request) => {
      const bad = findUnstorableText({ params: request.params, query: request.query, body: request.body });
      if (bad) {
        throw new AppError(400, `${errorPrefix}_VALIDATION_FAILED`, 'The request does not match the schema', [
          { ...bad, message: 'must be well-formed Unicode text without NUL characters' },
        ]);
      }
    });

    app.setNotFoundHandler((request, reply) => {
      reply
        .status(404)
        .send(errorPayload(`${errorPrefix}_NOT_FOUND`, `No route for ${request.method} ${request.url.split('?')[0]}`));
    });

    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error instanceof AppError) {
        reply.headers(error.headers);
        return reply.status(error.statusCode).send(errorPayload(error.code, error.message, error.details));
      }
      if (hasZodFastifySchemaValidationErrors(error)) {
        const details = error.validation.map((v) => ({
          in: error.validationContext,
          path: v.instancePath || '/',
          message: v.message,
        }));
        return reply
          .status(400)
          .send(errorPayload(`${errorPrefix}_VALIDATION_FAILED`, 'The request does not match the schema', details));
      }
      const mapped = error.code ? FRAMEWORK_ERRORS[error.code] : undefined;
      if (mapped) {
        return reply.status(mapped[0]).send(errorPayload(`${errorPrefix}_${mapped[1]}`, mapped[2]));
      }
      if (isUnavailableError(error)) {
        // Postgres restarting or unreachable: /readyz says 503 too; the client should retry.
        request.log.warn({ err: error }, 'a dependency is unavailable');
        return reply
          .status(503)
          .header('retry-after', '1')
          .send(
            errorPayload(`${errorPrefix}_UNAVAILABLE`, 'The service is temporarily unavailable; try again shortly'),
          );
      }
      if (isResponseSerializationError(error)) {
        request.log.error({ err: error, issues: error.cause.issues }, 'response does not match its schema');
      } else if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
        // A framework or plugin refusal we have no specific code for (e.g. a malformed header).
        return reply
          .status(error.statusCode)
          .send(errorPayload(`${errorPrefix}_BAD_REQUEST`, 'The request is invalid'));
      } else {
        request.log.error({ err: error }, 'unhandled error');
      }
      return reply.status(500).send(errorPayload(`${errorPrefix}_INTERNAL`, 'Something went wrong on our side'));
    });

    const routes = app.withTypeProvider<ZodTypeProvider>();
    routes.get(
      '/healthz',
      {
        logLevel: 'warn',
        schema: { tags: ['operations'], summary: 'The process is up', response: { 200: healthBody } },
      },
      async () => ({ status: 'ok' as const }),
    );
    routes.get(
      '/readyz',
      {
        logLevel: 'warn',
        schema: {
          tags: ['operations'],
          summary: 'Dependencies (database, Kafka when configured) answer',
          response: { 200: readinessBody, 503: readinessBody },
        },
      },
      async (request, reply) => {
        const report = await runReadinessChecks(options.readiness);
        if (report.status !== 'ready') request.log.warn({ checks: report.checks }, 'not ready');
        // Error messages name hosts, ports and users of the dependencies: for operators, in the log.
        const body =
          options.operations?.readinessErrors === false
            ? {
                ...report,
                checks: Object.fromEntries(Object.entries(report.checks).map(([n, c]) => [n, { ok: c.ok }])),
              }
            : report;
        return reply.status(report.status === 'ready' ? 200 : 503).send(body);
      },
    );
    app.get(
      '/metrics',
      {
        logLevel: 'warn',
        schema: {
          tags: ['operations'],
          summary: 'Prometheus metrics',
          description: metricsScope
            ? `Needs an X-Api-Key with the "${metricsScope}" scope (METRICS_REQUIRE_API_KEY, on in production).`
            : 'Open: METRICS_REQUIRE_API_KEY is off (the default outside production).',
          hide: false,
          ...(metricsScope ? { security: requires({ apiKey: metricsScope }) } : {}),
        },
      },
      async (_request, reply) => {
        const texts = await Promise.all([registry, ...options.sharedMetrics].map((r) => r.metrics()));
        reply.type(registry.contentType);
        return texts.join('\n');
      },
    );
  },
  { name: 'service-kit', fastify: '5.x' },
);

/** The error body schema, for routes to list under their 4xx responses. */
export { errorBody };
