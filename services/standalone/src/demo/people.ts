import { randomBytes } from 'node:crypto';

/** A device the wallet forwards as the user's context, with where it is. */
export interface Device {
  deviceId: string;
  ip: string;
  country: string;
  lat: number;
  lon: number;
}

export interface Person {
  name: string;
  email: string;
  password: string;
  /** The language the customer's wallet app runs in (BCP 47): their e-mails are written in it. */
  locale: string;
  phone: Device;
}

/** The demo's customers: new emails on every run, so a second run adds to the first. */
export function demoPeople(): Record<'mila' | 'noah' | 'omar' | 'lena' | 'wei', Person> {
  const run = Date.now().toString(36);
  const person = (name: string, phone: Device, locale = 'en'): Person => ({
    name,
    locale,
    email: `${name}.${run}@example.com`,
    // Random and long: the password policy (zxcvbn >= 3, not common) accepts it every time.
    password: `Demo-${randomBytes(12).toString('base64url')}-wallet`,
    phone,
  });
  return {
    mila: person('mila', { deviceId: 'mila-phone', ip: '198.51.100.14', country: 'DE', lat: 52.52, lon: 13.4 }),
    noah: person('noah', { deviceId: 'noah-phone', ip: '198.51.100.27', country: 'DE', lat: 48.14, lon: 11.58 }),
    omar: person('omar', { deviceId: 'omar-phone', ip: '198.51.100.41', country: 'FR', lat: 48.86, lon: 2.35 }),
    lena: person('lena', { deviceId: 'lena-phone', ip: '198.51.100.52', country: 'AT', lat: 48.21, lon: 16.37 }),
    wei: person('wei', { deviceId: 'wei-phone', ip: '198.51.100.63', country: 'CN', lat: 31.23, lon: 121.47 }, 'zh-CN'),
  };
}

/** Where the thief signs in from: a device and a country none of the customers ever used. */
export const ATTACKER: Device = { deviceId: 'unknown-laptop', ip: '203.0.113.66', country: 'NL', lat: 52.37, lon: 4.9 };

/** The context auth records: no coordinates (those are the monitor's business). */
export const authContext = (d: Device) => ({ deviceId: d.deviceId, ip: d.ip, country: d.country });
