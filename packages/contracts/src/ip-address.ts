import { z } from 'zod';

/**
 * One IP address has many spellings: `2001:DB8::1`, `2001:0db8:0:0:0:0:0:1`, and an IPv4 client
 * seen through a dual-stack socket as `::ffff:203.0.113.9`. Anything keyed on the text (throttles,
 * "known IP" history, the monitor's new-IP and travel rules) must see exactly one of them, so the
 * contracts canonicalise at the boundary:
 *
 * - IPv4 stays dotted-quad (zod already refuses leading zeros and out-of-range octets);
 * - IPv4-mapped IPv6 (`::ffff:0:0/96`, RFC 4291 section 2.5.5.2) becomes the IPv4 address;
 * - every other IPv6 address takes the RFC 5952 text form: lower case, no leading zeros, the
 *   longest run of two or more zero groups (the first of equal runs) written `::`.
 */

/** The eight 16-bit groups of an IPv6 address, or undefined when `text` is not one. */
function ipv6Groups(text: string): number[] | undefined {
  const lower = text.toLowerCase();
  const halves = lower.split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string): number[] | undefined => {
    if (part === '') return [];
    const groups: number[] = [];
    const pieces = part.split(':');
    for (const [index, piece] of pieces.entries()) {
      if (index === pieces.length - 1 && piece.includes('.')) {
        const v4 = ipv4Octets(piece);
        if (!v4) return undefined;
        groups.push(((v4[0] as number) << 8) | (v4[1] as number), ((v4[2] as number) << 8) | (v4[3] as number));
      } else if (/^[0-9a-f]{1,4}$/.test(piece)) {
        groups.push(Number.parseInt(piece, 16));
      } else {
        return undefined;
      }
    }
    return groups;
  };
  const head = parse(halves[0] as string);
  const tail = halves.length === 2 ? parse(halves[1] as string) : [];
  if (!head || !tail) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const missing = 8 - head.length - tail.length;
  if (missing < 1) return undefined;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

function ipv4Octets(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const octets = parts.map((p) => (/^(0|[1-9][0-9]{0,2})$/.test(p) ? Number(p) : Number.NaN));
  return octets.every((o) => o >= 0 && o <= 255) ? octets : undefined;
}

/** RFC 5952 section 4 text of eight groups. */
function formatIpv6(groups: readonly number[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

const isMappedIpv4 = (groups: readonly number[]) => groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;

/**
 * The canonical text of an IP address (see above). Never throws: text that is no IP address is
 * returned unchanged (the schemas below refuse it before this runs).
 */
export function canonicalIp(text: string): string {
  if (ipv4Octets(text)) return text;
  const groups = ipv6Groups(text);
  if (!groups) return text;
  if (isMappedIpv4(groups))
    return `${(groups[6] as number) >> 8}.${(groups[6] as number) & 255}.${(groups[7] as number) >> 8}.${(groups[7] as number) & 255}`;
  return formatIpv6(groups);
}

/**
 * What a per-client throttle counts under: an IPv4 address itself; for IPv6 its first
 * `ipv6PrefixBits` bits as `prefix/bits` (RFC 6177: one subscriber usually gets a whole /64 or
 * more, so counting single addresses lets one client rotate through 2^64 of them). Accepts any
 * spelling; never throws (non-IP text comes back unchanged).
 */
export function ipThrottleKey(text: string, ipv6PrefixBits: number): string {
  const canonical = canonicalIp(text);
  const groups = ipv6Groups(canonical);
  if (!groups || ipv4Octets(canonical)) return canonical;
  const bits = Math.max(0, Math.min(128, Math.trunc(ipv6PrefixBits)));
  const masked = groups.map((group, index) => {
    const keep = Math.max(0, Math.min(16, bits - index * 16));
    return keep === 0 ? 0 : group & (0xffff << (16 - keep)) & 0xffff;
  });
  return `${formatIpv6(masked)}/${bits}`;
}

/** An IPv4 or IPv6 address, parsed into its canonical text (`canonicalIp`). */
export const ipAddress = z.union([z.ipv4(), z.ipv6()]).overwrite(canonicalIp);
