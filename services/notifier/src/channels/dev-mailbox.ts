import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { messageKind } from '@wallet-guard/contracts';
import { z } from 'zod';
import type { Channel, OutgoingDelivery, SendOutcome } from './channel';

/**
 * A message's id in the mailbox, and its file name without `.json`: the time it was stored
 * (`20261129T195858123Z`, so names sort by time) and the delivery id. Nothing else is a valid id,
 * which keeps every id a plain file name inside the mailbox (no `/`, no `..`).
 */
export const MAILBOX_ID_PATTERN = /^\d{8}T\d{9}Z-[A-Za-z0-9_-]{1,128}$/;

/** How many of the newest messages `list()` returns: a page a developer scrolls, not an archive. */
const LIST_LIMIT = 200;

const storedMessage = z.object({
  id: z.string().regex(MAILBOX_ID_PATTERN),
  deliveryId: z.string(),
  eventId: z.string(),
  accountId: z.string(),
  kind: messageKind,
  to: z.string(),
  subject: z.string(),
  locale: z.string(),
  text: z.string(),
  html: z.string(),
  link: z.string().nullable(),
  createdAt: z.string(),
});

/** One message as the development mailbox keeps it: everything the e-mail would have carried. */
export type MailboxMessage = z.infer<typeof storedMessage>;
/** A line of the mailbox's list. */
export type MailboxEntry = Pick<
  MailboxMessage,
  'id' | 'deliveryId' | 'kind' | 'to' | 'subject' | 'locale' | 'createdAt'
>;

export interface DevMailbox extends Channel {
  /** The newest messages first (at most 200). Never throws for a missing folder (empty list). */
  list(): Promise<MailboxEntry[]>;
  /** One message; `undefined` for an id that is not valid or not there (never reads outside the folder). */
  read(id: string): Promise<MailboxMessage | undefined>;
}

/**
 * The `email` channel of development when no SMTP server is configured: each message becomes
 * `<time>-<deliveryId>.json` in `dir` (created when missing), and `/dev/mailbox` shows them.
 * It keeps the whole message, link and token included, because reading them is its purpose:
 * never configured in production (the service refuses to start that way). Files are written
 * whole (temporary file, then rename) and readable by their owner only. A delivery stored once is
 * not stored again (a retry answers with the stored id), like a server deduplicating on
 * Message-ID. `send` never throws: a failed write is transient.
 */
export function createDevMailbox(dir: string, options: { now?: () => Date } = {}): DevMailbox {
  const now = options.now ?? (() => new Date());

  async function fileNames(): Promise<string[]> {
    try {
      const names = await readdir(dir);
      return names.filter((n) => n.endsWith('.json') && MAILBOX_ID_PATTERN.test(n.slice(0, -5)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  async function read(id: string): Promise<MailboxMessage | undefined> {
    if (!MAILBOX_ID_PATTERN.test(id)) return undefined;
    try {
      const parsed = storedMessage.safeParse(JSON.parse(await readFile(join(dir, `${id}.json`), 'utf8')));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  return {
    name: 'email',
    target: 'development mailbox',
    async send(delivery: OutgoingDelivery): Promise<SendOutcome> {
      const key = delivery.deliveryId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 128);
      try {
        const stored = (await fileNames()).find((n) => n.endsWith(`-${key}.json`));
        if (stored)
          return { kind: 'accepted', response: `already in the development mailbox as ${stored.slice(0, -5)}` };
        const createdAt = now();
        const id = `${createdAt.toISOString().replace(/[-:.]/g, '')}-${key}`;
        const { message } = delivery;
        const content: MailboxMessage = {
          id,
          deliveryId: delivery.deliveryId,
          eventId: delivery.eventId,
          accountId: delivery.accountId,
          kind: message.kind,
          to: delivery.to,
          subject: message.subject,
          locale: message.locale,
          text: message.text,
          html: message.html,
          link: message.link,
          createdAt: createdAt.toISOString(),
        };
        await mkdir(dir, { recursive: true });
        const temporary = join(dir, `.${id}.json.tmp`);
        await writeFile(temporary, JSON.stringify(content, null, 2), { mode: 0o600 });
        await rename(temporary, join(dir, `${id}.json`));
        return { kind: 'accepted', response: `stored in the development mailbox as ${id}` };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
        return { kind: 'transient', reason: `development mailbox write failed (${code})` };
      }
    },
    async list() {
      const names = (await fileNames()).sort().reverse().slice(0, LIST_LIMIT);
      const messages = await Promise.all(names.map((n) => read(n.slice(0, -5))));
      return messages
        .filter((m): m is MailboxMessage => m !== undefined)
        .map(({ id, deliveryId, kind, to, subject, locale, createdAt }) => ({
          id,
          deliveryId,
          kind,
          to,
          subject,
          locale,
          createdAt,
        }));
    },
    read,
    async close() {},
  };
}
