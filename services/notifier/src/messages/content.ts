import type { MessageKind } from '@wallet-guard/contracts';
import type { SupportedLocale } from '@wallet-guard/i18n';
import type { PortalLinks } from './links';
import type { OutgoingMessage, SignInOrigin } from './message';
import type { Translate } from './translator';

/**
 * One message's words in one language, before layout: the HTML and the plain-text part are both
 * written from this, so they always say the same. Every string is plain text (never HTML).
 */
export interface MessageContent {
  subject: string;
  /** The line mail clients show next to the subject. */
  preview: string;
  title: string;
  paragraphs: string[];
  /** "Label: value" lines (a new sign-in's time, device, IP, country). */
  details: string[];
  /** Someone else's words quoted as they are (an agent's public note): untrusted. */
  quote: string | null;
  action: { label: string; url: string } | null;
  /**
   * "How did we do?": the question, one link per rating (1 to 5, each label saying what it means)
   * and until when; null when no rating is asked.
   */
  rating: { question: string; choices: { label: string; url: string }[]; expiry: string } | null;
  after: string[];
  signOff: string;
  /** Introduces the link written out under the button, for clients that show no buttons. */
  linkFallback: string;
  /** The action for the plain-text part: its label and the link on the next line. */
  actionText: string | null;
  footer: string[];
}

/** Which optional blocks a kind's layout has: fixed per kind, so each layout compiles once. */
export interface LayoutShape {
  details: boolean;
  quote: boolean;
  action: boolean;
  /** The rating links' block (empty when a message of the kind asks none). */
  rating?: boolean;
}

export const LAYOUT_SHAPES: Record<MessageKind, LayoutShape> = {
  unlock_link: { details: false, quote: false, action: true },
  lockout_final_warning: { details: false, quote: false, action: true },
  password_reset_link: { details: false, quote: false, action: true },
  new_sign_in: { details: true, quote: false, action: true },
  password_changed: { details: false, quote: false, action: true },
  // Only an agent unfreezes, so there is nothing to click.
  account_frozen: { details: false, quote: false, action: false },
  two_factor_changed: { details: false, quote: false, action: true },
  recovery_codes_low: { details: false, quote: false, action: true },
  // The code and where the sign-in comes from in the details; the only link is "this wasn't me".
  sign_in_code: { details: true, quote: false, action: true },
  case_opened: { details: false, quote: false, action: true },
  case_public_note: { details: false, quote: true, action: true },
  case_waiting_on_customer: { details: false, quote: false, action: true },
  case_resolved: { details: false, quote: false, action: true, rating: true },
  // The case is in the agent console, whose address the notifier does not know: the details say which.
  oncall_escalation: { details: true, quote: false, action: false },
};

/** The satisfaction scale, 1 (very dissatisfied) to 5 (very satisfied), as support-cases stores it. */
const RATINGS = [1, 2, 3, 4, 5] as const;

export interface ContentContext {
  translate: Translate;
  links: PortalLinks;
  locale: SupportedLocale;
  timeZone: string;
}

/**
 * Date and time as a reader needs them to act in time: full date, hours and minutes, and the zone
 * named ("November 23, 2026 at 11:00 AM UTC", "2026年11月23日 UTC 11:00"). Applied through
 * i18next's built-in `datetime` format, which hands these options to `Intl.DateTimeFormat`.
 */
function when(timeZone: string): Intl.DateTimeFormatOptions {
  return {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
    timeZone,
  };
}

/** The words of `message` in `ctx.locale`. Throws `MessageError` only for a missing translation. */
export function writeContent(message: OutgoingMessage, ctx: ContentContext): MessageContent {
  const t = (key: string, values?: Record<string, unknown>) => ctx.translate(ctx.locale, key, values);
  const body = writeBody(message, ctx);
  return {
    ...body,
    rating: body.rating ?? null,
    linkFallback: t('common.linkFallback'),
    actionText: body.action ? t('common.actionText', { label: body.action.label, url: body.action.url }) : null,
    footer: [t('common.neverAsk'), t('common.automated')],
  };
}

type MessageBody = Omit<MessageContent, 'linkFallback' | 'actionText' | 'footer' | 'rating'> & {
  rating?: MessageContent['rating'];
};

function writeBody(message: OutgoingMessage, ctx: ContentContext): MessageBody {
  const { locale, links } = ctx;
  const t = (key: string, values?: Record<string, unknown>) => ctx.translate(locale, key, values);
  const at = (name: string, date: Date) => ({ [name]: date, formatParams: { [name]: when(ctx.timeZone) } });
  const base = (kind: string, values?: Record<string, unknown>) => ({
    subject: t(`${kind}.subject`, values),
    preview: t(`${kind}.preview`, values),
    title: t(`${kind}.title`, values),
    details: [],
    quote: null,
  });
  const security = { signOff: t('common.signOffSecurity') };
  const support = { signOff: t('common.signOffSupport') };
  const greeting = t('common.greeting');

  switch (message.kind) {
    case 'lockout_final_warning': {
      const values = { failures: message.failures, ...at('lockedUntil', message.lockedUntil) };
      return {
        ...base('lockout_final_warning', values),
        paragraphs: [greeting, t('lockout_final_warning.intro', values), t('lockout_final_warning.warning')],
        action: { label: t('lockout_final_warning.action'), url: links.unlock(message.token) },
        after: [
          t('common.linkExpiry', at('expiresAt', message.expiresAt)),
          t('lockout_final_warning.ifYou'),
          t('lockout_final_warning.notYou'),
        ],
        ...security,
      };
    }
    case 'unlock_link':
    case 'password_reset_link': {
      const url = message.kind === 'unlock_link' ? links.unlock(message.token) : links.resetPassword(message.token);
      return {
        ...base(message.kind),
        paragraphs: [greeting, t(`${message.kind}.intro`)],
        action: { label: t(`${message.kind}.action`), url },
        after: [t('common.linkExpiry', at('expiresAt', message.expiresAt)), t(`${message.kind}.notYou`)],
        ...security,
      };
    }
    case 'new_sign_in':
      return {
        ...base('new_sign_in'),
        paragraphs: [greeting, t('new_sign_in.intro')],
        details: signInDetails(message.signedInAt, message.origin, ctx, t, at),
        action: { label: t('common.freezeAction'), url: links.freeze(message.freezeToken) },
        after: [
          t('new_sign_in.ifYou'),
          t('new_sign_in.notYou'),
          t('common.freezeExpiry', at('expiresAt', message.freezeTokenExpiresAt)),
        ],
        ...security,
      };
    case 'password_changed':
      return {
        ...base('password_changed'),
        paragraphs: [greeting, t('password_changed.intro', at('changedAt', message.changedAt))],
        action: { label: t('common.freezeAction'), url: links.freeze(message.freezeToken) },
        after: [
          t('common.ifYouDidThis'),
          t('common.notYouFreeze'),
          t('common.freezeExpiry', at('expiresAt', message.freezeTokenExpiresAt)),
        ],
        ...security,
      };
    case 'account_frozen':
      return {
        ...base('account_frozen'),
        paragraphs: [greeting, t('account_frozen.intro', at('frozenAt', message.frozenAt)), t('account_frozen.next')],
        action: null,
        after: [t('account_frozen.notYou')],
        ...security,
      };
    case 'two_factor_changed': {
      const change = { context: message.change };
      const { freeze } = message;
      return {
        subject: t('two_factor_changed.subject', change),
        preview: t('two_factor_changed.preview', change),
        title: t('two_factor_changed.subject', change),
        details: [],
        quote: null,
        paragraphs: [greeting, t('two_factor_changed.intro', { ...change, ...at('changedAt', message.changedAt) })],
        action: freeze
          ? { label: t('common.freezeAction'), url: links.freeze(freeze.token) }
          : { label: t('common.securityAction'), url: links.security() },
        after: freeze
          ? [
              t('common.ifYouDidThis'),
              t('common.notYouFreeze'),
              t('common.freezeExpiry', at('expiresAt', freeze.expiresAt)),
            ]
          : [t('common.ifYouDidThis'), t('two_factor_changed.notYouNoFreeze')],
        ...security,
      };
    }
    case 'recovery_codes_low':
      return {
        ...base('recovery_codes_low'),
        paragraphs: [
          greeting,
          t('recovery_codes_low.intro', { count: message.remaining }),
          t('recovery_codes_low.why'),
        ],
        action: { label: t('recovery_codes_low.action'), url: links.security() },
        after: [t('recovery_codes_low.notYou')],
        ...security,
      };
    case 'sign_in_code': {
      const line = (label: string, value: string) => t('common.details.line', { label, value });
      return {
        ...base('sign_in_code'),
        paragraphs: [greeting, t('sign_in_code.intro'), t('sign_in_code.expiry', at('expiresAt', message.expiresAt))],
        details: [
          line(t('sign_in_code.codeLabel'), message.code),
          ...signInDetails(message.requestedAt, message.origin, ctx, t, at),
        ],
        action: { label: t('common.freezeAction'), url: links.freeze(message.freezeToken) },
        after: [
          t('sign_in_code.neverShare'),
          t('sign_in_code.notYou'),
          t('common.freezeExpiry', at('expiresAt', message.freezeTokenExpiresAt)),
        ],
        ...security,
      };
    }
    case 'case_opened':
    case 'case_resolved': {
      const values = { caseNumber: message.caseNumber, what: t(`common.caseTypes.${message.caseType}`) };
      const closing = message.kind === 'case_opened' ? 'keepNumber' : 'more';
      const rating = message.kind === 'case_resolved' ? message.rating : null;
      return {
        ...base(message.kind, values),
        paragraphs: [greeting, t(`${message.kind}.intro`, values), t(`${message.kind}.${closing}`, values)],
        action: { label: t('common.caseAction'), url: links.case(message.caseNumber) },
        rating: rating && {
          question: t('case_resolved.rating.question'),
          choices: RATINGS.map((n) => ({
            label: t(`case_resolved.rating.choice${n}`),
            url: links.rate(message.caseNumber, n),
          })),
          expiry: t('case_resolved.rating.expiry', at('expiresAt', rating.expiresAt)),
        },
        after: [],
        ...support,
      };
    }
    case 'case_public_note': {
      const values = { caseNumber: message.caseNumber };
      return {
        ...base('case_public_note', values),
        paragraphs: [greeting, t('case_public_note.intro', values)],
        quote: message.body,
        action: { label: t('common.caseAction'), url: links.case(message.caseNumber) },
        after: [t('case_public_note.after')],
        ...support,
      };
    }
    case 'case_waiting_on_customer': {
      const values = { caseNumber: message.caseNumber };
      return {
        ...base('case_waiting_on_customer', values),
        paragraphs: [greeting, t('case_waiting_on_customer.intro', values), t('case_waiting_on_customer.waiting')],
        action: { label: t('common.caseAction'), url: links.case(message.caseNumber) },
        after: [],
        ...support,
      };
    }
    case 'oncall_escalation': {
      const values = { caseNumber: message.caseNumber, priority: message.priority };
      const line = (label: string, value: string) => t('common.details.line', { label, value });
      return {
        ...base('oncall_escalation', values),
        paragraphs: [t('oncall_escalation.intro', { ...values, ...at('dueAt', message.dueAt) })],
        details: [
          line(t('oncall_escalation.case'), message.caseNumber),
          line(t('oncall_escalation.type'), message.caseType),
          line(t('oncall_escalation.priority'), message.priority),
          line(t('oncall_escalation.due'), t('common.details.timeValue', at('at', message.dueAt))),
          line(t('oncall_escalation.statusBefore'), message.from),
        ],
        action: null,
        after: [t('oncall_escalation.next')],
        signOff: t('oncall_escalation.signOff'),
      };
    }
  }
}

/** The lines of a new sign-in we know; the country by its name in the reader's language. */
function signInDetails(
  signedInAt: Date,
  origin: SignInOrigin,
  ctx: ContentContext,
  t: (key: string, values?: Record<string, unknown>) => string,
  at: (name: string, date: Date) => Record<string, unknown>,
): MessageContent['details'] {
  const lines: [string, string][] = [['time', t('common.details.timeValue', at('at', signedInAt))]];
  if (origin.userAgent) lines.push(['device', origin.userAgent]);
  if (origin.ip) lines.push(['ip', origin.ip]);
  if (origin.country) {
    const name = new Intl.DisplayNames([ctx.locale], { type: 'region', fallback: 'code' }).of(origin.country);
    lines.push(['country', name ?? origin.country]);
  }
  return lines.map(([label, value]) => t('common.details.line', { label: t(`common.details.${label}`), value }));
}
