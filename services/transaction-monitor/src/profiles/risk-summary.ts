import type { MonitorFlag, RiskProfile } from '@wallet-guard/contracts';
import type { TimelineEntry } from '../security-timeline/timeline-entry';
import { newProfileRecord, type ProfileRecord } from './profile-state';
import { medianAndMad } from './statistics';

const iso = (ms: number) => new Date(ms).toISOString();

/** What an agent sees of an account: its profile in plain figures, latest security events and flags. */
export function summarizeRisk(
  accountId: string,
  record: ProfileRecord | null,
  knownCounterparties: number,
  securityEvents: readonly TimelineEntry[],
  flags: readonly MonitorFlag[],
): RiskProfile {
  const { state, transactionCount, firstSeenAt, lastActivityAt } = record ?? newProfileRecord(accountId);
  return {
    accountId,
    transactionCount,
    firstSeenAt: firstSeenAt?.toISOString() ?? null,
    lastActivityAt: lastActivityAt?.toISOString() ?? null,
    amountStatistics: Object.entries(state.amounts)
      .filter(([, sample]) => sample.length > 0)
      .map(([currency, sample]) => {
        const { median, mad } = medianAndMad(sample);
        return {
          currency,
          sampleSize: sample.length,
          medianMinor: median.toString(),
          madMinor: mad.toString(),
        };
      }),
    knownCounterparties,
    knownDevices: state.devices.length,
    knownCountries: [...state.countries],
    lastLocation: state.lastLocation
      ? { lat: state.lastLocation.lat, lon: state.lastLocation.lon, at: iso(state.lastLocation.at) }
      : null,
    recentSecurityEvents: securityEvents.map((e) => ({
      eventId: e.eventId,
      type: e.type,
      occurredAt: iso(e.at),
      ip: e.ip,
      deviceId: e.deviceId,
      country: e.country,
    })),
    recentFlags: [...flags],
  };
}
