/**
 * Cookie names: in production `__Host-`-prefixed, which browsers accept only with `Secure`,
 * `Path=/` and no `Domain`, so no sibling host or plain-HTTP page can plant or read them.
 */
export const cookieNames = (secure: boolean) => {
  const name = (base: string) => (secure ? `__Host-${base}` : base);
  return { session: name('portal-session'), language: name('portal-lang'), device: name('portal-device') };
};

export type CookieNames = ReturnType<typeof cookieNames>;

/** Attributes of every cookie the portal sets. */
export const cookieAttributes = (secure: boolean) => ({ path: '/', httpOnly: true, sameSite: 'lax', secure }) as const;
