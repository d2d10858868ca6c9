import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { RuntimeMode } from './load-config';

/** A TCP port with a default; `0` asks the OS for a free one (tests use it). */
export const port = (fallback: number) =>
  z.coerce
    .number({ message: 'must be a port number' })
    .int({ message: 'must be a whole port number' })
    .min(0, { message: 'must be between 0 and 65535' })
    .max(65535, { message: 'must be between 0 and 65535' })
    .default(fallback);

export const positiveInt = (fallback: number) =>
  z.coerce
    .number({ message: 'must be a number' })
    .int({ message: 'must be a whole number' })
    .positive({ message: 'must be greater than 0' })
    .default(fallback);

export const logLevel = z
  .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'must be one of fatal, error, warn, info, debug, trace, silent',
  })
  .default('info');

export const booleanFlag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
    .optional()
    .transform((v) => (v === undefined ? fallback : v === 'true' || v === '1'));

/** postgres:// or postgresql:// URL; unset means the embedded database. */
export const databaseUrl = z
  .string()
  .optional()
  .refine((v) => v === undefined || v === '' || /^postgres(ql)?:\/\/.+/.test(v), {
    message: 'must be a postgres:// URL',
  })
  .transform((v) => (v ? v : undefined));

/** Comma-separated host:port list; unset means no broker (events stay in-process). */
export const kafkaBrokers = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (!v || v.trim() === '') return undefined;
    const brokers = v.split(',').map((b) => b.trim());
    if (!brokers.every((b) => /^[A-Za-z0-9_.-]+:\d{1,5}$/.test(b))) {
      ctx.addIssue({ code: 'custom', message: 'must be a comma-separated list of host:port' });
      return z.NEVER;
    }
    return brokers;
  });

/** Topic and consumer-group prefix: lets several deployments (or test files) share one cluster. */
export const topicPrefix = z
  .string()
  .regex(/^[A-Za-z0-9._-]*$/, { message: 'may contain only letters, digits, ".", "_" and "-"' })
  .default('');

/**
 * A secret with a development default. In production the default is refused: the variable must
 * be set, and to something else. The value is never echoed in an error.
 */
export const secret = (mode: RuntimeMode, devDefault: string, minLength = 16) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      const value = v === '' ? undefined : v;
      if (mode === 'production') {
        if (value === undefined) {
          ctx.addIssue({ code: 'custom', message: 'is required in production' });
          return z.NEVER;
        }
        if (value === devDefault) {
          ctx.addIssue({ code: 'custom', message: 'still holds the development default; set a real secret' });
          return z.NEVER;
        }
      }
      const result = value ?? devDefault;
      if (value !== undefined && result.length < minLength) {
        ctx.addIssue({ code: 'custom', message: `must be at least ${minLength} characters` });
        return z.NEVER;
      }
      return result;
    });

export interface ApiKey {
  /** Who holds the key, for logs and audit ("wallet-backend", "support-cases"). */
  name: string;
  scopes: readonly string[];
  /** Hex SHA-256 of the key. API keys are long random strings, so a fast hash is enough. */
  sha256: string;
}

export interface ApiKeySet {
  keys: readonly ApiKey[];
  /** True when the development keys are in use; the service says so loudly at start. */
  usingDevKeys: boolean;
}

export const sha256Hex = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');

/** Keys every service accepts in development when none are configured. */
export const DEV_API_KEYS = [
  { name: 'dev-wallet', scopes: ['wallet'], key: 'dev-wallet-key' },
  { name: 'dev-internal', scopes: ['internal'], key: 'dev-internal-key' },
] as const;

/**
 * `name:scope+scope:sha256hex` entries separated by commas (only hashes ever reach the config;
 * `pnpm api-key` prints a new key with its entry). Unset in production stops the service; unset
 * elsewhere enables the development keys.
 */
export const apiKeys = (mode: RuntimeMode) =>
  z
    .string()
    .optional()
    .transform((v, ctx): ApiKeySet => {
      if (!v || v.trim() === '') {
        if (mode === 'production') {
          ctx.addIssue({ code: 'custom', message: 'is required in production (development keys are refused)' });
          return z.NEVER;
        }
        return {
          usingDevKeys: true,
          keys: DEV_API_KEYS.map((k) => ({ name: k.name, scopes: [...k.scopes], sha256: sha256Hex(k.key) })),
        };
      }
      const keys: ApiKey[] = [];
      for (const [index, entry] of v.split(',').entries()) {
        const match = /^([A-Za-z0-9_.-]+):([a-z]+(?:\+[a-z]+)*):([0-9a-f]{64})$/.exec(entry.trim());
        if (!match) {
          ctx.addIssue({
            code: 'custom',
            message: `entry ${index + 1} must look like name:scope+scope:<64 hex sha256>`,
          });
          return z.NEVER;
        }
        const [, name, scopes, sha256] = match as unknown as [string, string, string, string];
        keys.push({ name, scopes: scopes.split('+'), sha256 });
      }
      const devHashes = new Set(DEV_API_KEYS.map((k) => sha256Hex(k.key)));
      if (mode === 'production' && keys.some((k) => devHashes.has(k.sha256))) {
        ctx.addIssue({ code: 'custom', message: 'holds a development key; production needs keys of its own' });
        return z.NEVER;
      }
      return { keys, usingDevKeys: false };
    });
