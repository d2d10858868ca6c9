// The contracts package fills event ids with node:crypto's randomUUID when it builds events. The
// console only parses, never builds events, but bundles the same module: this stands in for
// node:crypto in the browser (vite.config.ts aliases it), with the Web Crypto equivalent.
export const randomUUID = (): string => globalThis.crypto.randomUUID();
