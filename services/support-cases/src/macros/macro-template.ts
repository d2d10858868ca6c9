// The placeholder syntax of macros (saved replies) and how one is written out for a case. Pure:
// no I/O, no clock.
import { MACRO_PLACEHOLDERS } from '@wallet-guard/contracts';
import { matchLocale, SUPPORTED_LOCALES, type SupportedLocale } from '@wallet-guard/i18n';

/**
 * What a macro may say about the case it is used on:
 *
 * - `customerName`: what support-cases knows to call the customer: auth knows an e-mail address and
 *   no name, so its local part without a `+tag` ("li.wei" for li.wei+wallet@example.com).
 * - `caseNumber`: "CASE-000123".
 * - `accountState`: the account as auth reports it now, in the macro's language: frozen, locked
 *   (any lock) or active.
 * - `agentName`: the agent writing the reply.
 */
export const PLACEHOLDERS = MACRO_PLACEHOLDERS;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** Placeholders whose value comes from auth (the others are known without asking anyone). */
export const ACCOUNT_PLACEHOLDERS: readonly Placeholder[] = ['customerName', 'accountState'];

/**
 * `{{name}}`, spaces allowed inside the braces (`{{ caseNumber }}`). Every `{{` opens a
 * placeholder: there is no escape, so a macro cannot hold a literal `{{` (single braces are text).
 */
const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/y;

export type TemplatePart = { text: string } | { placeholder: Placeholder };

export type TemplateProblem =
  | { code: 'CASE_MACRO_UNKNOWN_PLACEHOLDER'; placeholder: string; offset: number }
  | { code: 'CASE_MACRO_MALFORMED_PLACEHOLDER'; offset: number };

/**
 * A macro text cut into text and placeholders, or the first problem: a `{{name}}` whose name is
 * not in `PLACEHOLDERS` (unknown), or a `{{` that does not open a well-formed `{{name}}`
 * (malformed; `offset` is where, in UTF-16 code units). Never throws.
 */
export function parseTemplate(template: string): { parts: TemplatePart[] } | { problem: TemplateProblem } {
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{{', i);
    if (open === -1) {
      text += template.slice(i);
      break;
    }
    text += template.slice(i, open);
    PLACEHOLDER.lastIndex = open;
    const match = PLACEHOLDER.exec(template);
    if (!match) return { problem: { code: 'CASE_MACRO_MALFORMED_PLACEHOLDER', offset: open } };
    const name = match[1] ?? '';
    if (!(PLACEHOLDERS as readonly string[]).includes(name)) {
      return { problem: { code: 'CASE_MACRO_UNKNOWN_PLACEHOLDER', placeholder: name, offset: open } };
    }
    if (text !== '') parts.push({ text });
    text = '';
    parts.push({ placeholder: name as Placeholder });
    i = open + match[0].length;
  }
  if (text !== '') parts.push({ text });
  return { parts };
}

/** The placeholders a text uses (empty for a text that does not parse). */
export function placeholdersOf(template: string): Set<Placeholder> {
  const parsed = parseTemplate(template);
  if ('problem' in parsed) return new Set();
  return new Set(parsed.parts.flatMap((p) => ('placeholder' in p ? [p.placeholder] : [])));
}

/**
 * The text with every placeholder replaced by its value, in one pass: a value is never read as a
 * template again, so a customer whose address contains `{{` cannot inject a placeholder. The
 * result is plain text, not HTML: each channel escapes at its own boundary (the notifier's e-mail
 * templates escape a public note, the portal's HTML templates escape everything they print, the
 * console renders text through React), so escaping here would show `&amp;` to the customer.
 * Throws only for a text that does not parse (saved macros always do: they are checked on save).
 */
export function renderTemplate(template: string, values: Record<Placeholder, string>): string {
  const parsed = parseTemplate(template);
  if ('problem' in parsed) throw new Error(`macro text does not parse: ${parsed.problem.code}`);
  return parsed.parts.map((p) => ('text' in p ? p.text : values[p.placeholder])).join('');
}

/**
 * Which of a macro's texts to use for a case: the language of the case (its customer's locale,
 * BCP 47, matched like every page and e-mail: "zh-Hans-CN" and "zh" read zh-CN; unknown or absent
 * reads `en`). Only when the macro has no text in that language is the other one used, and
 * `fellBack` says so (the console tells the agent). Undefined when the macro has no text at all.
 */
export function pickText(
  texts: Partial<Record<SupportedLocale, string>>,
  caseLocale: string | null,
): { locale: SupportedLocale; text: string; fellBack: boolean } | undefined {
  const wanted = matchLocale(caseLocale) ?? 'en';
  const own = texts[wanted];
  if (own !== undefined) return { locale: wanted, text: own, fellBack: false };
  for (const locale of SUPPORTED_LOCALES) {
    const text = texts[locale];
    if (text !== undefined) return { locale, text, fellBack: true };
  }
  return undefined;
}

export type AccountState = 'active' | 'locked' | 'frozen';

/** `accountState` in each language (a customer reads these words in the reply). */
const ACCOUNT_STATE_WORDS: Record<SupportedLocale, Record<AccountState, string>> = {
  en: { active: 'active', locked: 'locked', frozen: 'frozen' },
  'zh-CN': { active: '正常', locked: '已锁定', frozen: '已冻结' },
};

export const accountStateWord = (locale: SupportedLocale, state: AccountState): string =>
  ACCOUNT_STATE_WORDS[locale][state];

/** `customerName` from an e-mail address: the local part without a `+tag` (RFC 5233 subaddress). */
export function customerNameOf(email: string): string {
  const local = email.slice(0, Math.max(0, email.lastIndexOf('@'))) || email;
  return local.split('+', 1)[0] || local;
}
