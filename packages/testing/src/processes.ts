import { createServer } from 'node:net';

/** A port nobody listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * The environment of a fresh shell, as a newcomer has it: this process's environment without any
 * of our variables (database, broker, service settings, test markers), plus `extra`.
 */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^(DATABASE_URL|KAFKA_|AUTH_|MONITOR_|CASES_|SERVICES|DATA_DIR|NODE_ENV|VITEST|TEST_)/.test(key))
      delete env[key];
  }
  return { ...env, ...extra };
}
