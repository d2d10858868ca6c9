// Codes in words, for the sets that are open-ended (a server newer than this console may send a
// code it does not know: then the code shows) and for the sentences built from several codes.
// Closed sets (case types, statuses, priorities, outcomes... the contracts' enums) are looked up
// with `t` where they are shown; tests/console/locales.test.ts holds both languages to all of them.
import { ApiError } from './api';
import { wordsOr } from './i18n/console-i18n';
import type { Words } from './i18n/use-words';

/** A monitor rule (services/transaction-monitor/README.md), named for a person. */
export const ruleWords = ({ i18n }: Words, rule: string) => wordsOr(i18n, `rule.${rule}`, rule.replaceAll('_', ' '));

/** A risk decision of the monitor ("needs review"). */
export const decisionWords = ({ i18n }: Words, decision: string) => wordsOr(i18n, `decision.${decision}`, decision);

/** A security event type of auth ("sign_in.failed" -> "Sign-in failed"). */
export const eventWords = ({ i18n }: Words, type: string) => wordsOr(i18n, `securityEvent.${type}`, type);

/** A timeline entry kind ("sla_breached" -> "SLA breached"). */
export const timelineWords = ({ i18n }: Words, kind: string) =>
  wordsOr(i18n, `timelineKind.${kind}`, kind.replaceAll('_', ' '));

/** "agent:ada" -> "ada (agent)"; "system", "customer" in words; anything else as it is. */
export function actorWords({ t }: Words, actor: string): string {
  if (actor.startsWith('agent:')) return t('actor.agent', { name: actor.slice(6) });
  return actor === 'system' ? t('actor.system') : actor === 'customer' ? t('actor.customer') : actor;
}

/** A refusal's code in words; codes this console does not know get the generic sentence. */
const errorWords = ({ i18n, t }: Words, code: string) => wordsOr(i18n, `error.${code}`, t('error.unknown'));

/**
 * "Another agent holds this case. (CASE_ALREADY_CLAIMED: held by bo)": words first, then the code
 * and what the details add (who holds the case, what the other service answered, which fields).
 */
export function describeFailure(words: Words, error: unknown): string {
  const { t } = words;
  if (!(error instanceof ApiError)) {
    return t('failure.withCode', {
      words: errorWords(words, 'CONSOLE_UNEXPECTED_ANSWER'),
      code: 'CONSOLE_UNEXPECTED_ANSWER',
    });
  }
  const details = (error.details ?? {}) as { assignee?: unknown; code?: unknown; service?: unknown };
  const detail =
    typeof details.assignee === 'string'
      ? t('failure.heldBy', { name: details.assignee })
      : typeof details.code === 'string'
        ? t('failure.serviceAnswered', {
            service: typeof details.service === 'string' ? details.service : t('failure.theOtherService'),
            code: details.code,
          })
        : Array.isArray(error.details)
          ? (error.details as { path?: string; message?: string }[])
              .map((d) => `${d.path ?? ''} ${d.message ?? ''}`.trim())
              .join('; ')
          : '';
  const text = errorWords(words, error.code);
  return detail
    ? t('failure.withCodeAndDetail', { words: text, code: error.code, detail })
    : t('failure.withCode', { words: text, code: error.code });
}
