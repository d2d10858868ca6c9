import { ipAddressBits, type ListAction, type ListKind, networkBits, parseIpPrefix } from '@wallet-guard/contracts';
import type { MonitoredTransaction } from '../profiles/monitored-transaction';

/** A list entry as the rules read it. */
export interface ListedEntry {
  id: string;
  kind: ListKind;
  /** Canonical (`canonicalListValue` of the contracts). */
  value: string;
  action: ListAction;
  reason: string;
  /** Epoch ms from which the entry no longer applies; null: never. */
  expiresAt: number | null;
}

interface PrefixGroup<K> {
  length: number;
  byNetwork: ReadonlyMap<K, ListedEntry>;
}

/**
 * The live list entries at one lists version, indexed for lookups that cost a few map reads per
 * transaction: counterparties, devices and countries by value, IP prefixes by family and length
 * (longest first) and network (IPv4 as a 32-bit number, IPv6 as a bigint). Immutable: a batch
 * being scored keeps the snapshot it took.
 */
export interface ListsSnapshot {
  /** The lists version these entries are (recorded on every flag scored with them). */
  version: number;
  /** How many entries: 0 skips every lookup. */
  size: number;
  counterparties: ReadonlyMap<string, ListedEntry>;
  devices: ReadonlyMap<string, ListedEntry>;
  countries: ReadonlyMap<string, ListedEntry>;
  ipv4: readonly PrefixGroup<number>[];
  ipv6: readonly PrefixGroup<bigint>[];
}

/** Lists with no entry (version 0: nothing was ever listed). */
export const EMPTY_LISTS: ListsSnapshot = {
  version: 0,
  size: 0,
  counterparties: new Map(),
  devices: new Map(),
  countries: new Map(),
  ipv4: [],
  ipv6: [],
};

/** The network of a 32-bit address under a prefix of `length` bits, as an unsigned number. */
const network4 = (address: number, length: number) => (length === 0 ? 0 : (address & (-1 << (32 - length))) >>> 0);

function group<K>(groups: Map<number, Map<K, ListedEntry>>, length: number): Map<K, ListedEntry> {
  let byNetwork = groups.get(length);
  if (!byNetwork) {
    byNetwork = new Map();
    groups.set(length, byNetwork);
  }
  return byNetwork;
}

const longestFirst = <K>(groups: Map<number, Map<K, ListedEntry>>): PrefixGroup<K>[] =>
  [...groups.entries()].map(([length, byNetwork]) => ({ length, byNetwork })).sort((a, b) => b.length - a.length);

/**
 * Indexes `entries` (the live ones: removed entries must not be given). An IP entry whose value
 * does not parse (never stored so: the API canonicalises it) is left out rather than crash the
 * scoring. Pure.
 */
export function listsSnapshot(version: number, entries: readonly ListedEntry[]): ListsSnapshot {
  const counterparties = new Map<string, ListedEntry>();
  const devices = new Map<string, ListedEntry>();
  const countries = new Map<string, ListedEntry>();
  const ipv4 = new Map<number, Map<number, ListedEntry>>();
  const ipv6 = new Map<number, Map<bigint, ListedEntry>>();
  for (const entry of entries) {
    if (entry.kind === 'counterparty') counterparties.set(entry.value, entry);
    else if (entry.kind === 'device') devices.set(entry.value, entry);
    else if (entry.kind === 'country') countries.set(entry.value, entry);
    else {
      const prefix = parseIpPrefix(entry.value);
      if (!prefix) continue;
      if (prefix.family === 4) group(ipv4, prefix.length).set(Number(prefix.bits), entry);
      else group(ipv6, prefix.length).set(prefix.bits, entry);
    }
  }
  return {
    version,
    size: entries.length,
    counterparties,
    devices,
    countries,
    ipv4: longestFirst(ipv4),
    ipv6: longestFirst(ipv6),
  };
}

/** What a listed entry matched on the transaction. */
export interface Listing {
  entry: ListedEntry;
  /** counterparty: the payee; device, ip, country: the transaction's context. */
  on: ListKind;
}

const inForce = (entry: ListedEntry | undefined, at: number): entry is ListedEntry =>
  entry !== undefined && (entry.expiresAt === null || at < entry.expiresAt);

/**
 * The entries in force at the transaction's own time (`tx.at`, so a replay judges expiry as the
 * first run did) that name its counterparty, device, IP address or country. For the IP, the most
 * specific prefix in force wins (an `allow` /32 carves an exception out of a `block` /16, as a
 * routing table would). Pure; a few map reads.
 */
export function listingsOf(lists: ListsSnapshot, tx: MonitoredTransaction): Listing[] {
  if (lists.size === 0) return [];
  // listed_destination and allow_listed ask in turn about the same transaction: answer once.
  if (last.lists === lists && last.tx === tx) return last.found;
  const found: Listing[] = [];
  const add = (entry: ListedEntry | undefined, on: ListKind) => {
    if (inForce(entry, tx.at)) found.push({ entry, on });
  };
  if (tx.counterparty !== null) add(lists.counterparties.get(tx.counterparty), 'counterparty');
  if (tx.deviceId !== null) add(lists.devices.get(tx.deviceId), 'device');
  if (tx.country !== null) add(lists.countries.get(tx.country), 'country');
  const ip = tx.ip !== null && lists.ipv4.length + lists.ipv6.length > 0 ? ipListing(lists, tx.ip, tx.at) : undefined;
  if (ip) found.push({ entry: ip, on: 'ip' });
  last = { lists, tx, found };
  return found;
}

let last: { lists: ListsSnapshot | null; tx: MonitoredTransaction | null; found: Listing[] } = {
  lists: null,
  tx: null,
  found: [],
};

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The most specific prefix in force containing `ip` (canonical text, as the contract keeps it). */
function ipListing(lists: ListsSnapshot, ip: string, at: number): ListedEntry | undefined {
  const v4 = IPV4.exec(ip);
  if (v4) {
    const address = ((Number(v4[1]) << 24) | (Number(v4[2]) << 16) | (Number(v4[3]) << 8) | Number(v4[4])) >>> 0;
    for (const { length, byNetwork } of lists.ipv4) {
      const entry = byNetwork.get(network4(address, length));
      if (inForce(entry, at)) return entry;
    }
    return undefined;
  }
  if (lists.ipv6.length === 0) return undefined;
  const address = ipAddressBits(ip);
  if (address?.family !== 6) return undefined;
  for (const { length, byNetwork } of lists.ipv6) {
    const entry = byNetwork.get(networkBits(address.bits, 6, length));
    if (inForce(entry, at)) return entry;
  }
  return undefined;
}

/** How a listing reads in a reason's detail: `counterparty crypto_address:bc1… ("mule ring")`. */
export const describeListing = ({ entry, on }: Listing) => `${on} ${entry.value} ("${entry.reason}")`;
