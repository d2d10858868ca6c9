import mjml2html from 'mjml';
import type { LayoutShape, MessageContent } from './content';
import { MessageError } from './render-errors';

/**
 * The responsive HTML of one kind of message: MJML compiled once (at warm-up) with `%%slot%%`
 * placeholders, then filled per message. Compiling is slow (tens of milliseconds) and async in
 * MJML 5; filling is one string pass, so rendering stays fast and synchronous.
 */
export interface CompiledLayout {
  /** Fills every slot with `content`, escaped for HTML. Never throws for a complete content. */
  fill(content: MessageContent, lang: string, productName: string): string;
}

const BRAND = '#0b5cad';
const INK = '#1f2933';
const MUTED = '#52606d';
const PANEL = '#f1f4f8';
// System fonts first; the CJK ones make Chinese read well where the Latin ones lack the glyphs.
const FONTS =
  "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif";
// Slots hold fragments built here, after MJML has run, so their styles are inline by hand.
const P = 'margin:0 0 16px 0;';
const SLOT = /%%([a-zA-Z]+)%%/g;

function source(shape: LayoutShape): string {
  const details = shape.details
    ? `<mj-section padding="0 24px 16px"><mj-column background-color="${PANEL}" border-radius="6px" padding="12px 0">
         <mj-text font-size="15px" padding="0 16px">%%details%%</mj-text></mj-column></mj-section>`
    : '';
  const quote = shape.quote
    ? `<mj-section padding="0 24px 16px"><mj-column background-color="${PANEL}" border-left="4px solid ${BRAND}" padding="12px 0">
         <mj-text padding="0 16px">%%quote%%</mj-text></mj-column></mj-section>`
    : '';
  const action = shape.action
    ? `<mj-section padding="0 0 8px"><mj-column>
         <mj-button href="%%actionUrl%%" align="left" background-color="${BRAND}" color="#ffffff" font-size="16px"
           font-weight="600" border-radius="6px" inner-padding="12px 24px" padding="0 24px 12px">%%actionLabel%%</mj-button>
         <mj-text font-size="13px" color="${MUTED}" padding="0 24px 16px">%%linkFallback%%<br />
           <a href="%%actionUrl%%" style="color:${BRAND};word-break:break-all;">%%linkText%%</a></mj-text>
       </mj-column></mj-section>`
    : '';
  // Filled with nothing when this message asks no rating (an empty text block shows nothing).
  const rating = shape.rating
    ? `<mj-section padding="0"><mj-column><mj-text padding="0 24px">%%rating%%</mj-text></mj-column></mj-section>`
    : '';
  return `<mjml lang="%%lang%%">
  <mj-head>
    <mj-title>%%subject%%</mj-title>
    <mj-preview>%%preview%%</mj-preview>
    <mj-attributes>
      <mj-all font-family="${FONTS}" />
      <mj-text font-size="16px" line-height="1.6" color="${INK}" padding="0 24px" />
      <mj-section padding="0" />
    </mj-attributes>
  </mj-head>
  <mj-body background-color="#e9edf2" width="600px">
    <mj-section padding="24px 0 12px"><mj-column>
      <mj-text font-size="18px" font-weight="700" color="${BRAND}">%%product%%</mj-text>
    </mj-column></mj-section>
    <mj-wrapper background-color="#ffffff" border-radius="8px" padding="24px 0 8px">
      <mj-section><mj-column>
        <mj-text font-size="22px" font-weight="700" line-height="1.3" padding="0 24px 16px">%%title%%</mj-text>
        <mj-text>%%paragraphs%%</mj-text>
      </mj-column></mj-section>
      ${details}${quote}${action}${rating}
      <mj-section><mj-column>
        <mj-text>%%after%%</mj-text>
      </mj-column></mj-section>
    </mj-wrapper>
    <mj-section padding="16px 0 24px"><mj-column>
      <mj-text font-size="12px" line-height="1.5" color="${MUTED}">%%footer%%</mj-text>
    </mj-column></mj-section>
  </mj-body>
</mjml>`;
}

/** Compiles one layout; throws `MessageError` NOTIFIER_TEMPLATE_INVALID if MJML rejects it. */
export async function compileLayout(shape: LayoutShape): Promise<CompiledLayout> {
  let html: string;
  try {
    ({ html } = await mjml2html(source(shape), { validationLevel: 'strict', keepComments: false }));
  } catch (error) {
    throw new MessageError('NOTIFIER_TEMPLATE_INVALID', `MJML rejected a layout: ${String(error)}`);
  }
  return {
    fill(content, lang, productName) {
      const slots = htmlSlots(content, lang, productName);
      // One pass: a value that happens to contain "%%x%%" is never expanded again.
      return html.replace(SLOT, (_match, name: string) => {
        const value = slots[name];
        if (value === undefined)
          throw new MessageError('NOTIFIER_TEMPLATE_INVALID', `layout slot ${name} has no value`);
        return value;
      });
    },
  };
}

function htmlSlots(c: MessageContent, lang: string, productName: string): Record<string, string> {
  const paragraphs = (lines: readonly string[]) =>
    lines.map((line) => `<p style="${P}">${escapeHtml(line)}</p>`).join('');
  return {
    lang: escapeHtml(lang),
    subject: escapeHtml(c.subject),
    preview: escapeHtml(c.preview),
    product: escapeHtml(productName),
    title: escapeHtml(c.title),
    paragraphs: paragraphs(c.paragraphs),
    details: c.details.map(escapeHtml).join('<br />'),
    // Untrusted text from an agent: escaped, and its line breaks kept as the agent wrote them.
    quote: escapeHtml(c.quote ?? '').replace(/\r\n|\r|\n/g, '<br />'),
    actionUrl: escapeHtml(c.action?.url ?? ''),
    linkText: escapeHtml(c.action?.url ?? ''),
    actionLabel: escapeHtml(c.action?.label ?? ''),
    linkFallback: escapeHtml(c.linkFallback),
    rating: c.rating ? ratingHtml(c.rating) : '',
    after: paragraphs([...c.after, c.signOff]),
    footer: paragraphs(c.footer).replaceAll(P, 'margin:0 0 8px 0;'),
  };
}

/** The question, one link per rating (large enough to tap on a phone), and until when. */
function ratingHtml(rating: NonNullable<MessageContent['rating']>): string {
  const choice = (c: { label: string; url: string }) =>
    `<a href="${escapeHtml(c.url)}" style="display:inline-block;margin:0 8px 8px 0;padding:10px 14px;border:1px solid ${BRAND};border-radius:6px;color:${BRAND};text-decoration:none;font-weight:600;">${escapeHtml(c.label)}</a>`;
  return (
    `<p style="margin:8px 0 12px 0;font-weight:600;">${escapeHtml(rating.question)}</p>` +
    `<p style="margin:0 0 8px 0;">${rating.choices.map(choice).join('')}</p>` +
    `<p style="margin:0 0 16px 0;font-size:13px;color:${MUTED};">${escapeHtml(rating.expiry)}</p>`
  );
}

/** Text for HTML content and attribute values alike. */
function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/**
 * The plain-text part, written from the same content as the HTML (not by stripping it): title,
 * paragraphs, details, the quote marked with "> ", the link on its own line, footer.
 */
export function plainText(c: MessageContent): string {
  const blocks: string[] = [c.title, ...c.paragraphs];
  if (c.details.length > 0) blocks.push(c.details.join('\n'));
  if (c.quote !== null)
    blocks.push(
      c.quote
        .split(/\r\n|\r|\n/)
        .map((line) => `> ${line}`.trimEnd())
        .join('\n'),
    );
  if (c.actionText !== null) blocks.push(c.actionText);
  if (c.rating !== null) {
    blocks.push(
      [c.rating.question, ...c.rating.choices.map((r) => `${r.label}: ${r.url}`)].join('\n'),
      c.rating.expiry,
    );
  }
  blocks.push(...c.after, c.signOff, `--\n${c.footer.join('\n')}`);
  return `${blocks.join('\n\n')}\n`;
}
