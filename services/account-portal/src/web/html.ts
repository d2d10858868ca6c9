/** Markup that is already safe to insert: built by `html`, never from a customer's text directly. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for an element's content or a quoted attribute value. */
const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);

type Insertable = SafeHtml | string | number | false | null | undefined | readonly Insertable[];

const render = (value: Insertable): string => {
  if (value === false || value === null || value === undefined) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
};

/**
 * A template whose every inserted value is escaped unless it is `SafeHtml` (another `html`
 * result); arrays are joined, `false`/`null`/`undefined` insert nothing. The only way pages
 * are built, so translated text and anything a customer typed can never become markup.
 */
export function html(strings: TemplateStringsArray, ...values: Insertable[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(out);
}
