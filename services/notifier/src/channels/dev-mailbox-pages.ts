import type { MailboxEntry, MailboxMessage } from './dev-mailbox';

/**
 * The pages' Content-Security-Policy. No script at all; styles inline only (the page's own and
 * the e-mail's, which MJML writes inline); images from data: and https: (an e-mail's logo).
 * The e-mail itself is shown in `<iframe sandbox srcdoc>`: a srcdoc frame inherits this policy,
 * and the empty sandbox adds an opaque origin, no scripts, no forms and no navigation of the page.
 */
export const MAILBOX_PAGE_CSP = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  'img-src data: https:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const STYLE = `
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1b1f24; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid #d8dee4; vertical-align: top; }
dt { font-weight: 600; } dd { margin: 0 0 .4rem 0; word-break: break-all; }
pre { white-space: pre-wrap; background: #f6f8fa; padding: 1rem; border-radius: 6px; }
iframe { width: 100%; height: 42rem; border: 1px solid #d8dee4; border-radius: 6px; }
.empty { color: #59636e; }
`;

/** Escapes text for HTML content and for a double- or single-quoted attribute (srcdoc included). */
function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

/** The list, newest first, as `list()` returns it. */
export function mailboxListPage(entries: readonly MailboxEntry[]): string {
  const rows = entries
    .map(
      (e) => `<tr>
<td><time datetime="${escapeHtml(e.createdAt)}">${escapeHtml(e.createdAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'))}</time></td>
<td>${escapeHtml(e.to)}</td>
<td><a href="/dev/mailbox/${encodeURIComponent(e.id)}">${escapeHtml(e.subject || '(no subject)')}</a></td>
<td lang="${escapeHtml(e.locale)}">${escapeHtml(e.locale)}</td>
<td>${escapeHtml(e.kind)}</td>
</tr>`,
    )
    .join('\n');
  const table =
    entries.length === 0
      ? '<p class="empty">No messages yet: they appear here as the notifier sends them (reload).</p>'
      : `<table>
<thead><tr><th>Time (UTC)</th><th>To</th><th>Subject</th><th>Locale</th><th>Kind</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
  return page(
    'Development mailbox',
    `<h1>Development mailbox</h1>
<p>What the notifier would have sent by e-mail (no SMTP server is configured). Development only.</p>
${table}`,
  );
}

/** One message: its headers, its link, the text part and the HTML part in a sandboxed frame. */
export function mailboxMessagePage(message: MailboxMessage): string {
  // Only a web link becomes clickable (the policy would block a javascript: one; this says so too).
  const link =
    message.link && /^https?:\/\//.test(message.link)
      ? `<dt>Link</dt><dd><a href="${escapeHtml(message.link)}" rel="noreferrer">${escapeHtml(message.link)}</a></dd>`
      : '';
  return page(
    message.subject || 'Message',
    `<p><a href="/dev/mailbox">← All messages</a> · <a href="/dev/mailbox/${encodeURIComponent(message.id)}.json">JSON</a></p>
<h1 lang="${escapeHtml(message.locale)}">${escapeHtml(message.subject)}</h1>
<dl>
<dt>To</dt><dd>${escapeHtml(message.to)}</dd>
<dt>Date</dt><dd>${escapeHtml(message.createdAt)}</dd>
<dt>Content-Language</dt><dd>${escapeHtml(message.locale)}</dd>
<dt>Kind</dt><dd>${escapeHtml(message.kind)}</dd>
<dt>Delivery</dt><dd>${escapeHtml(message.deliveryId)} (event ${escapeHtml(message.eventId)})</dd>
${link}
</dl>
<h2>HTML</h2>
<iframe sandbox title="HTML part" srcdoc="${escapeHtml(message.html)}"></iframe>
<h2>Text</h2>
<pre lang="${escapeHtml(message.locale)}">${escapeHtml(message.text)}</pre>`,
  );
}
