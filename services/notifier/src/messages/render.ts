import { MESSAGE_KINDS, type MessageKind } from '@wallet-guard/contracts';
import { negotiateLocale } from '@wallet-guard/i18n';
import type { RenderedMessage } from '../channels/channel';
import { LAYOUT_SHAPES, writeContent } from './content';
import { type CompiledLayout, compileLayout, plainText } from './layout';
import { portalLinks } from './links';
import type { OutgoingMessage } from './message';
import { MessageError } from './render-errors';
import { BUNDLED_RESOURCES, createTranslator } from './translator';

export interface RendererOptions {
  /** Where the account portal is, e.g. "http://localhost:4005" (a path prefix is kept). */
  linkBaseUrl: string;
  /** IANA zone the times in messages are written in; default "UTC" (we do not know the reader's). */
  timeZone?: string;
  /** The name customers know the wallet by; default "Wallet Guard". */
  productName?: string;
}

export interface Renderer {
  /**
   * Subject, HTML and plain text of `message` in the negotiated locale (`negotiateLocale` of
   * `message.locale`). Synchronous and pure: no I/O. Every value is escaped in the HTML; the
   * token of a link appears only in its fragment. Throws `MessageError`
   * NOTIFIER_MISSING_TRANSLATION only for a defect in the copy, which the tests rule out.
   */
  render(message: OutgoingMessage): RenderedMessage;
}

/**
 * Builds a renderer: loads the translations and compiles every kind's MJML layout once, so that
 * `render` is synchronous and fast (no MJML at send time). Call once at start. Throws
 * `MessageError` for a bad `linkBaseUrl` (NOTIFIER_LINK_BASE_INVALID) or `timeZone`
 * (NOTIFIER_TIME_ZONE_INVALID): configuration errors stop the start, not a delivery.
 */
export async function createRenderer(options: RendererOptions): Promise<Renderer> {
  const timeZone = options.timeZone ?? 'UTC';
  const productName = options.productName ?? 'Wallet Guard';
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new MessageError('NOTIFIER_TIME_ZONE_INVALID', `unknown time zone ${JSON.stringify(timeZone)}`);
  }
  const links = portalLinks(options.linkBaseUrl);
  const translate = await createTranslator(BUNDLED_RESOURCES, productName);
  const layouts = new Map<MessageKind, CompiledLayout>();
  // One after the other: compiling is CPU work, and the service shares its cores.
  for (const kind of MESSAGE_KINDS) layouts.set(kind, await compileLayout(LAYOUT_SHAPES[kind]));

  return {
    render(message) {
      const locale = negotiateLocale(message.locale);
      const content = writeContent(message, { translate, links, locale, timeZone });
      const layout = layouts.get(message.kind);
      if (!layout) throw new MessageError('NOTIFIER_TEMPLATE_INVALID', `no layout for ${message.kind}`);
      return {
        kind: message.kind,
        locale,
        subject: content.subject,
        html: layout.fill(content, locale, productName),
        text: plainText(content),
        link: content.action?.url ?? null,
      };
    },
  };
}
