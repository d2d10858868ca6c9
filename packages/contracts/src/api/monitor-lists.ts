import { z } from 'zod';
import { isoDateTime } from '../envelope';
import { counterpartyKind } from '../events/wallet-transactions';
import { page } from '../http';
import { canonicalIp } from '../ip-address';
import type { ApiEndpoint } from './endpoint';

/**
 * The transaction monitor's managed lists (scope `internal`): counterparties, devices, IP
 * addresses or prefixes and countries marked `block`, `review` or `allow`, each with a reason, an
 * author and an optional expiry. Every change bumps one lists version (a positive integer that
 * only grows) and is kept in an append-only audit trail; every flag records the lists version it
 * was scored with. support-cases proxies these routes for the console (agents read, supervisors
 * change) and records the agent as the author.
 *
 * Errors: 400 `TXM_VALIDATION_FAILED` (shape), 400 `TXM_LIST_INVALID_VALUE` (a value its kind
 * cannot hold: `details[0].reason` is `cidr`, `country`, `counterparty` or `device`), 400
 * `TXM_LIST_EXPIRY_IN_PAST`, 404 `TXM_LIST_ENTRY_NOT_FOUND`, 409 `TXM_LIST_ENTRY_EXISTS` (a live
 * entry of the same kind and value: change it instead; `details[0].entryId` names it), 409
 * `TXM_LIST_ENTRY_REMOVED` (changing or removing a removed entry), 400 `TXM_INVALID_CURSOR`.
 */

export const LIST_KINDS = ['counterparty', 'device', 'ip', 'country'] as const;
export const listKind = z.enum(LIST_KINDS);
export type ListKind = z.infer<typeof listKind>;

/**
 * `block`: a strong hit of rule `listed_destination` (theft level with the shipped weights);
 * `review`: a medium one (review level); `allow`: lowers the score of a transaction other rules
 * hit (rule `allow_listed`, capped: see the monitor's README).
 */
export const LIST_ACTIONS = ['block', 'review', 'allow'] as const;
export const listAction = z.enum(LIST_ACTIONS);
export type ListAction = z.infer<typeof listAction>;

const actor = z.string().trim().min(1).max(200);
const reason = z.string().trim().min(1).max(500);

/** Why a value does not fit its kind (`details[0].reason` of `TXM_LIST_INVALID_VALUE`). */
export type ListValueProblem = 'cidr' | 'country' | 'counterparty' | 'device';

const COUNTERPARTY_KINDS = new Set<string>(counterpartyKind.options);

/** The 32 or 128 bits of a canonical address. */
function addressBits(canonical: string): { family: 4 | 6; bits: bigint } | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(canonical)) {
    const octets = canonical.split('.').map(Number);
    if (octets.some((o) => o > 255)) return undefined;
    return { family: 4, bits: octets.reduce((acc, o) => (acc << 8n) | BigInt(o), 0n) };
  }
  const halves = canonical.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  const all =
    halves.length === 2 ? [...head, ...new Array<string>(8 - head.length - tail.length).fill('0'), ...tail] : head;
  if (all.length !== 8 || !all.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return undefined;
  return { family: 6, bits: all.reduce((acc, g) => (acc << 16n) | BigInt(Number.parseInt(g, 16)), 0n) };
}

/** An IP prefix: the network's bits (host bits zero), its family and its length. */
export interface IpPrefix {
  family: 4 | 6;
  bits: bigint;
  length: number;
}

const ipSchema = z.union([z.ipv4(), z.ipv6()]);

/**
 * Parses `address` or `address/length` (IPv4 or IPv6, any spelling) into a prefix; an address
 * without a length is the /32 or /128 of that address. An IPv4-mapped IPv6 prefix of length 96 or
 * more is the IPv4 prefix it maps (transactions carry such addresses as IPv4: `canonicalIp`).
 * Host bits set beyond the length (`10.0.0.1/8`) are refused, as Postgres's `cidr` refuses them:
 * the author probably meant another network. Undefined for anything else. Never throws.
 */
export function parseIpPrefix(text: string): IpPrefix | undefined {
  const [address, length, extra] = text.trim().split('/');
  if (extra !== undefined || address === undefined || !ipSchema.safeParse(address).success) return undefined;
  const parsed = addressBits(canonicalIp(address));
  if (!parsed) return undefined;
  const mappedV4 = parsed.family === 4 && address.includes(':');
  const max = parsed.family === 4 ? 32 : 128;
  let bitsLength = max;
  if (length !== undefined) {
    if (!/^\d{1,3}$/.test(length)) return undefined;
    bitsLength = Number(length) - (mappedV4 ? 96 : 0);
    if (bitsLength < 0 || bitsLength > max) return undefined;
  }
  const hostMask = (1n << BigInt(max - bitsLength)) - 1n;
  if ((parsed.bits & hostMask) !== 0n) return undefined;
  return { family: parsed.family, bits: parsed.bits, length: bitsLength };
}

/** The family and bits of an IP address in any spelling (IPv4-mapped IPv6 is IPv4), or undefined. Never throws. */
export function ipAddressBits(address: string): { family: 4 | 6; bits: bigint } | undefined {
  return addressBits(canonicalIp(address));
}

/** The network bits of an address's `bits` under a prefix of `length` bits. */
export function networkBits(bits: bigint, family: 4 | 6, length: number): bigint {
  const host = BigInt((family === 4 ? 32 : 128) - length);
  return (bits >> host) << host;
}

/** The canonical text of a prefix: `203.0.113.0/24`, `2001:db8::/32` (RFC 5952 address, decimal length). */
export function formatIpPrefix(prefix: IpPrefix): string {
  if (prefix.family === 4) {
    const o = [24n, 16n, 8n, 0n].map((s) => Number((prefix.bits >> s) & 255n));
    return `${o.join('.')}/${prefix.length}`;
  }
  const groups = Array.from({ length: 8 }, (_, i) => ((prefix.bits >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
  return `${canonicalIp(groups.join(':'))}/${prefix.length}`;
}

const regionNames = typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames('en', { type: 'region' }) : null;

/** An ISO 3166-1 alpha-2 code that names a region (`ZZ` and unassigned pairs do not). */
function isCountry(code: string): boolean {
  if (!/^[A-Z]{2}$/.test(code) || code === 'ZZ') return false;
  if (!regionNames) return true;
  try {
    return regionNames.of(code) !== code;
  } catch {
    return false;
  }
}

/**
 * The one spelling a list keeps of `value` for `kind`, so that a duplicate is found whatever
 * way it was typed, and the rules compare exact text: a counterparty as `kind:id` (the kind one
 * of the contract's counterparty kinds, as transactions name them), a device id as given
 * (trimmed), an IP address or prefix as `formatIpPrefix` writes it, a country as its upper-case
 * ISO 3166-1 alpha-2 code. Never throws.
 */
export function canonicalListValue(
  kind: ListKind,
  value: string,
): { ok: true; value: string } | { ok: false; problem: ListValueProblem } {
  const text = value.trim();
  switch (kind) {
    case 'counterparty': {
      const colon = text.indexOf(':');
      const id = text.slice(colon + 1);
      if (colon < 1 || !COUNTERPARTY_KINDS.has(text.slice(0, colon)) || id.length < 1 || id.length > 128) {
        return { ok: false, problem: 'counterparty' };
      }
      return { ok: true, value: text };
    }
    case 'device':
      return text.length >= 1 && text.length <= 128 ? { ok: true, value: text } : { ok: false, problem: 'device' };
    case 'ip': {
      const prefix = parseIpPrefix(text);
      return prefix ? { ok: true, value: formatIpPrefix(prefix) } : { ok: false, problem: 'cidr' };
    }
    case 'country': {
      const code = text.toUpperCase();
      return isCountry(code) ? { ok: true, value: code } : { ok: false, problem: 'country' };
    }
  }
}

export const listEntry = z.object({
  id: z.uuid(),
  kind: listKind,
  /** Canonical (`canonicalListValue`): `crypto_address:bc1q...`, `phone-7`, `203.0.113.0/24`, `KP`. */
  value: z.string(),
  action: listAction,
  reason: z.string(),
  /** Who added it (an agent's name, as support-cases knows it). */
  author: z.string(),
  /** From this instant on the entry no longer applies (judged on each transaction's own time); null: never. */
  expiresAt: isoDateTime.nullable(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  updatedBy: z.string(),
  /** The lists version of the entry's latest change. */
  version: z.number().int().positive(),
  /** Set once the entry was removed (soft: it stays readable, and in the audit trail). */
  removedAt: isoDateTime.nullable(),
  removedBy: z.string().nullable(),
});
export type ListEntry = z.infer<typeof listEntry>;

export const listEntriesQuery = z.object({
  kind: listKind.optional(),
  action: listAction.optional(),
  /** Removed entries too (false by default: the entries in the lists). */
  includeRemoved: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  cursor: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListEntriesQuery = z.infer<typeof listEntriesQuery>;

export const listEntriesPage = page(listEntry).extend({
  /** The lists version when the page was read. */
  listsVersion: z.number().int().nonnegative(),
});
export type ListEntriesPage = z.infer<typeof listEntriesPage>;

/** An expiry: at most ten years ahead, and (checked by the monitor on its clock) in the future. */
const expiresAt = isoDateTime;

/** A new entry as the console sends it to support-cases (which names the agent as `author`). */
export const listEntryDraft = z.object({
  kind: listKind,
  value: z.string().min(1).max(200),
  action: listAction,
  reason,
  expiresAt: expiresAt.optional(),
});
export type ListEntryDraft = z.infer<typeof listEntryDraft>;

export const addListEntryBody = listEntryDraft.extend({ author: actor });
export type AddListEntryBody = z.infer<typeof addListEntryBody>;

const changeFields = z.object({
  action: listAction.optional(),
  reason: reason.optional(),
  expiresAt: expiresAt.nullable().optional(),
});
const changesSomething = (b: z.infer<typeof changeFields>) =>
  b.action !== undefined || b.reason !== undefined || b.expiresAt !== undefined;
const changeMessage = { message: 'change at least one of action, reason, expiresAt' };

/** What to change (at least one of action, reason, expiresAt; `expiresAt: null` removes the expiry), as the console sends it. */
export const listEntryChangeDraft = changeFields.refine(changesSomething, changeMessage);
export type ListEntryChangeDraft = z.infer<typeof listEntryChangeDraft>;

export const changeListEntryBody = changeFields.extend({ author: actor }).refine(changesSomething, changeMessage);
export type ChangeListEntryBody = z.infer<typeof changeListEntryBody>;

/** Why an entry is removed (optional), as the console sends it. */
export const listEntryRemovalDraft = z.object({ reason: reason.optional() });
export const removeListEntryBody = listEntryRemovalDraft.extend({ author: actor });
export type RemoveListEntryBody = z.infer<typeof removeListEntryBody>;

/**
 * support-cases `POST /v1/cases/:id/flags/:flagId/block-destination`: a supervisor accepts the
 * offer made when a flag of the case is labelled fraud, adding the flagged transaction's payee to
 * the block list (reason: the case and flag, plus `note`).
 */
export const blockDestinationBody = z.object({
  note: z.string().trim().min(1).max(300).optional(),
  expiresAt: expiresAt.optional(),
});
export type BlockDestinationBody = z.infer<typeof blockDestinationBody>;

export const LIST_OPERATIONS = ['added', 'changed', 'removed'] as const;

/** One change to the lists: the entry as it was before (null when added) and after. */
export const listAuditRecord = z.object({
  /** The lists version this change produced (one per change). */
  version: z.number().int().positive(),
  entryId: z.uuid(),
  operation: z.enum(LIST_OPERATIONS),
  actor: z.string(),
  at: isoDateTime,
  /** The removal's reason, when one was given. */
  note: z.string().nullable(),
  before: listEntry.nullable(),
  after: listEntry,
});
export type ListAuditRecord = z.infer<typeof listAuditRecord>;

export const listAuditQuery = z.object({
  entryId: z.uuid().optional(),
  cursor: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListAuditQuery = z.infer<typeof listAuditQuery>;

/** Newest change first. */
export const listAuditPage = page(listAuditRecord);
export type ListAuditPage = z.infer<typeof listAuditPage>;

/** The monitor's lists API (scope `internal`, `x-api-key`), as support-cases calls it with `createServiceClient`. */
export const monitorListsApi = {
  /** Entries newest first, filtered by kind and action. */
  listEntries: {
    method: 'GET',
    path: '/v1/lists/entries',
    query: listEntriesQuery,
    responses: { 200: listEntriesPage },
  },
  /** One entry (removed ones too). 404 when there is none. */
  getEntry: { method: 'GET', path: '/v1/lists/entries/:id', responses: { 200: listEntry } },
  /** Adds an entry. 409 when a live one of the same kind and value exists. */
  addEntry: { method: 'POST', path: '/v1/lists/entries', body: addListEntryBody, responses: { 201: listEntry } },
  /** Changes an entry's action, reason or expiry. */
  changeEntry: {
    method: 'PATCH',
    path: '/v1/lists/entries/:id',
    body: changeListEntryBody,
    responses: { 200: listEntry },
  },
  /** Removes an entry (soft: it stays readable and audited). */
  removeEntry: {
    method: 'POST',
    path: '/v1/lists/entries/:id/remove',
    body: removeListEntryBody,
    responses: { 200: listEntry },
  },
  /** The audit trail, newest change first, for one entry or all. */
  listAudit: { method: 'GET', path: '/v1/lists/audit', query: listAuditQuery, responses: { 200: listAuditPage } },
} as const satisfies Record<string, ApiEndpoint>;
