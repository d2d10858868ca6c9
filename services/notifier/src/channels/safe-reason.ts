/** The longest server text a reason quotes: enough to tell "mailbox full" from "blocked as spam". */
const MAX_SERVER_TEXT = 200;

const SECRET_PARAMETER = /token=[^\s"'<>]*/gi;
/** An e-mail address a server quotes back ("<jonathan@example.com>: Recipient address rejected"). */
const ADDRESS = /[^\s<>"'@]+@[^\s<>"'@]+\.[A-Za-z]{2,}/g;

/**
 * A server's words, made safe to store and show in a failure reason: one line, without control
 * characters, without the message's own link (a server may echo it back), anything following
 * `token=` or any e-mail address (support sees the masked recipient beside it), and at most `MAX_SERVER_TEXT` characters. Redacts before it trims, so a cut can never
 * leave half a token behind.
 */
export function safeServerText(text: string, link: string | null): string {
  let safe = text.replace(/\s+/g, ' ');
  if (link) safe = safe.split(link).join('[link]');
  safe = safe.replace(SECRET_PARAMETER, 'token=[redacted]').replace(ADDRESS, '[address]');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  safe = safe.replace(/[\u0000-\u001f\u007f]/g, '');
  safe = safe.trim();
  return safe.length > MAX_SERVER_TEXT ? `${safe.slice(0, MAX_SERVER_TEXT - 1)}…` : safe;
}
