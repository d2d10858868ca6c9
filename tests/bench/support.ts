// What the auth benchmarks share: waiting for a service process, and the raw argon2 rate the
// service's login rate is compared with.
import type { PasswordHasher } from '../../services/auth/src/passwords/password-hasher';

/** Polls `url` + `path` until it answers 2xx (a minute at most). */
export async function waitUntilUp(url: string, name: string, path = '/readyz'): Promise<void> {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${url}${path}`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} did not start`);
}

/** `workers` loops verifying a wrong password against a real hash for `seconds`: verifies per second. */
export async function rawVerifyRate(hasher: PasswordHasher, workers: number, seconds: number): Promise<number> {
  const stored = await hasher.hash('Quill-reference-password-42');
  const deadline = Date.now() + seconds * 1000;
  let count = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (Date.now() < deadline) {
        await hasher.verify(stored, 'Quill-wrong-password-43');
        count++;
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}
