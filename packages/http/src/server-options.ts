import { type IncomingMessage, type Server, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { logFileDestination, loggerOptions, requestId, teeDestination } from '@wallet-guard/observability';
import type { FastifyHttpOptions, FastifyInstance, FastifyReply, FastifyServerOptions } from 'fastify';
import { errorPayload } from './errors';

export interface ServerOptionsInput {
  service: string;
  logLevel: string;
  /** Append logs to this file instead of stdout (`LOG_FILE`). */
  logFile?: string | undefined;
  /** Replace the log destination (tests capture logs to check nothing secret leaks); with `logFile`, both get every line. */
  logStream?: NodeJS.WritableStream | undefined;
  /** `HTTP_REQUEST_TIMEOUT_MS` (default 15 s). */
  http?: { requestTimeoutMs: number } | undefined;
  /** Prefix of the codes in answers the HTTP parser gives before fastify sees a request (408, 431, 400). */
  errorPrefix?: string | undefined;
}

/**
 * Headers of the answers written straight to the socket (timeouts, unparseable HTTP), which
 * never pass helmet: the JSON-relevant subset of what helmet sets on every other answer.
 */
const RAW_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': "default-src 'self';frame-ancestors 'none'",
  'Cross-Origin-Resource-Policy': 'same-site',
  'Referrer-Policy': 'no-referrer',
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'SAMEORIGIN',
};

/**
 * Options for `Fastify(...)` shared by every service: logging with redaction, request ids,
 * body limit and timeouts so a slow or huge request cannot hold the server.
 */
export function serverOptions(input: ServerOptionsInput): FastifyHttpOptions<Server> {
  const { service, logLevel, logFile, logStream, errorPrefix } = input;
  const requestTimeout = input.http?.requestTimeoutMs ?? 15_000;
  const options = loggerOptions({ service, level: logLevel });
  const streams = [logStream, logFile ? logFileDestination(logFile) : undefined].filter((s) => s !== undefined);
  const stream = streams.length > 1 ? teeDestination(streams) : streams[0];
  return {
    logger: stream ? { ...options, stream } : options,
    genReqId: (req: IncomingMessage) => requestId(req.headers['x-request-id']),
    requestIdHeader: false,
    // Our largest legitimate body is a 500-transaction batch (~400 KB).
    bodyLimit: 1024 * 1024,
    // An idle connection (no bytes either way) is closed after this.
    connectionTimeout: 10_000,
    requestTimeout,
    http: {
      // Node enforces the request timeout only when the headers timeout is not longer (its default
      // is 60 s, so a body trickling in was never cut off), and checks only this often (30 s by
      // default, which would let a slow client hold a socket for up to 30 s more).
      headersTimeout: requestTimeout,
      requestTimeout,
      connectionsCheckingInterval: Math.max(100, Math.min(1_000, Math.floor(requestTimeout / 4))),
    },
    keepAliveTimeout: 5_000,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    ...(errorPrefix
      ? { clientErrorHandler: clientErrorHandler(errorPrefix), frameworkErrors: routingErrorHandler(errorPrefix) }
      : {}),
  };
}

/** Routing failures (an undecodable URL, a path parameter past `maxParamLength`), answered before any hook runs. */
const ROUTING_ERRORS: Record<string, [number, string, string]> = {
  FST_ERR_BAD_URL: [400, 'BAD_REQUEST', 'The URL is malformed'],
  FST_ERR_MAX_PARAM_LENGTH: [414, 'URI_TOO_LONG', 'A path parameter is too long'],
  FST_ERR_ASYNC_CONSTRAINT: [400, 'BAD_REQUEST', 'The request could not be routed'],
};

/** Fastify's `frameworkErrors`: the routing failures in our error format, with the security headers. */
function routingErrorHandler(prefix: string): NonNullable<FastifyServerOptions['frameworkErrors']> {
  return (error, request, reply) => {
    const [status, suffix, message] = ROUTING_ERRORS[error.code] ?? [400, 'BAD_REQUEST', 'The request is invalid'];
    request.log.debug({ err: error }, 'request refused before routing');
    (reply as FastifyReply)
      .headers({ ...RAW_SECURITY_HEADERS, 'x-request-id': request.id })
      .status(status)
      .send(errorPayload(`${prefix}_${suffix}`, message));
  };
}

/**
 * Answers what the HTTP parser refuses (a request that took too long, headers too large, bytes
 * that are not HTTP) in our error format, with the security headers, then closes the socket.
 */
function clientErrorHandler(prefix: string) {
  return function onClientError(this: FastifyInstance, error: NodeJS.ErrnoException, socket: Socket): void {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const [status, suffix, message] =
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'REQUEST_TIMEOUT', 'The request took too long to arrive']
        : error.code === 'HPE_HEADER_OVERFLOW'
          ? [431, 'HEADERS_TOO_LARGE', 'The request headers are too large']
          : [400, 'BAD_REQUEST', 'The request is not valid HTTP'];
    this.log.debug({ err: error }, 'client error');
    if (socket.writable) {
      const body = JSON.stringify(errorPayload(`${prefix}_${suffix}`, message));
      const headers = {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': String(Buffer.byteLength(body)),
        Connection: 'close',
        ...RAW_SECURITY_HEADERS,
      };
      const head = Object.entries(headers)
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('');
      socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${head}\r\n${body}`);
    }
    socket.destroy(error);
  };
}
