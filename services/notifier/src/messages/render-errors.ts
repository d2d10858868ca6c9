/**
 * Why a message could not be written. Stable codes, safe to log: the message never carries a
 * token or a rendered body.
 */
export type MessageErrorCode =
  /** `linkBaseUrl` is not an absolute http(s) URL without query or fragment. */
  | 'NOTIFIER_LINK_BASE_INVALID'
  /** `timeZone` is not an IANA time zone this runtime knows. */
  | 'NOTIFIER_TIME_ZONE_INVALID'
  /** A translation key, or a value a translation interpolates, is missing: a defect, caught by tests. */
  | 'NOTIFIER_MISSING_TRANSLATION'
  /** A layout failed MJML's strict validation at warm-up. */
  | 'NOTIFIER_TEMPLATE_INVALID';

export class MessageError extends Error {
  override readonly name = 'MessageError';
  constructor(
    readonly code: MessageErrorCode,
    message: string,
  ) {
    super(message);
  }
}
