import type { Rule } from '../rule';
import type { Rules } from '../rules-file';

/**
 * 7. new_device_or_country: outgoing money from a device or a country this account has never
 * transacted from. An account with no device (or country) on record yet has nothing to compare
 * with, so its first ones are not "new".
 */
export const newDeviceOrCountry: Rule<Rules['new_device_or_country']> = ({ tx, profile }, p) => {
  if (!tx.outgoing) return null;
  const newDevice = tx.deviceId !== null && profile.devices.length > 0 && !profile.devices.includes(tx.deviceId);
  const newCountry = tx.country !== null && profile.countries.length > 0 && !profile.countries.includes(tx.country);
  if (!newDevice && !newCountry) return null;
  if (newDevice && newCountry) {
    return { strength: 1, detail: `Outgoing from a new device in a new country (${tx.country})` };
  }
  return newDevice
    ? { strength: p.deviceOnlyStrength, detail: 'Outgoing from a device never seen on this account' }
    : { strength: p.countryOnlyStrength, detail: `Outgoing from a country never seen on this account (${tx.country})` };
};
