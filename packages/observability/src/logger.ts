import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';
import { redactSecrets, redactUrl } from './redact';

export type { Logger };

export interface LoggerSettings {
  service: string;
  level: string;
  /** Append to this file instead of writing to stdout (`LOG_FILE`). */
  file?: string | undefined;
}

/**
 * pino options shared by every service: JSON lines with the service name, secrets redacted at
 * any depth (headers, bodies, query strings), errors serialized with their code.
 */
export function loggerOptions({ service, level }: LoggerSettings): LoggerOptions {
  return {
    level,
    base: { service },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers["x-api-key"]',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
      ],
      censor: '[redacted]',
    },
    formatters: {
      log: (object) => redactSecrets(object) as Record<string, unknown>,
    },
    serializers: {
      req: (req: IncomingMessage & { id?: string; ip?: string }) => ({
        id: req.id,
        method: req.method,
        url: redactUrl(req.url ?? ''),
        remoteAddress: req.ip,
      }),
      err: pino.stdSerializers.err,
    },
  };
}

const fileDestinations = new Map<string, DestinationStream>();

/**
 * An append-mode destination for a log file, one per file per process (every logger of the
 * process shares its descriptor). Writes are synchronous: a line is in the file when the log
 * call returns, so nothing is lost when the process dies, and lines of several processes
 * appending to one file never interleave.
 */
export function logFileDestination(path: string): DestinationStream {
  let destination = fileDestinations.get(path);
  if (!destination) {
    destination = pino.destination({ dest: path, append: true, mkdir: true, sync: true });
    fileDestinations.set(path, destination);
  }
  return destination;
}

/** Every line to each of `destinations` (the logger's level still decides what is written). */
export function teeDestination(
  destinations: readonly (DestinationStream | NodeJS.WritableStream)[],
): DestinationStream {
  return pino.multistream(destinations.map((stream) => ({ stream, level: 'trace' as const })));
}

/** A standalone logger (workers, CLIs, tests); HTTP servers pass `loggerOptions` to fastify. */
export function createLogger(settings: LoggerSettings, destination?: DestinationStream): Logger {
  const target = destination ?? (settings.file ? logFileDestination(settings.file) : undefined);
  return target ? pino(loggerOptions(settings), target) : pino(loggerOptions(settings));
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Keeps a caller's X-Request-Id when it is sane (so a trace spans services), else makes one. */
export function requestId(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && REQUEST_ID.test(value) ? value : randomUUID();
}
