// The contracts package fills event ids with node:crypto's randomUUID when it builds events, and
// digests a payment's payee with createHash (auth-confirmations). The console only parses, never
// builds events nor digests, but bundles the same modules: this stands in for node:crypto in the
// browser (vite.config.ts aliases it), with the Web Crypto equivalent where there is one.
export const randomUUID = (): string => globalThis.crypto.randomUUID();

/** Web Crypto has no synchronous digest; nothing in the console calls this, and a call says so. */
export function createHash(algorithm: string): never {
  throw new Error(`node:crypto createHash(${algorithm}) is not available in the agent console`);
}
