import { html, type SafeHtml } from '../web/html';
import type { PageContext } from '../web/page-context';

/** The form field `passkeys.js` fills with the browser's answer before it sends the form. */
const PASSKEY_RESPONSE_FIELD = 'passkeyResponse';

/** A passkey button inside a form, as `passkeys.js` (web/assets) wires it. */
export interface PasskeyControl {
  /** `register` creates a passkey (`startRegistration`), `authenticate` uses one (`startAuthentication`). */
  mode: 'register' | 'authenticate';
  /** The portal's JSON endpoint that starts the ceremony (`SCRIPT_PATHS.passkey*Options`). */
  optionsPath: string;
  /** Sent with the options call besides the CSRF token (e.g. `{ purpose: 'unlock' }`, `{ confirmationId }`). */
  body?: Record<string, string>;
  /** Names of this form's fields sent with the options call when filled (`token`, `password`). */
  send?: readonly string[];
  /**
   * Ask for the options as the page opens and show the button only when the account has a
   * passkey: an e-mail link's page knows the account from the link's token alone.
   */
  probe?: boolean;
  /** The button's words. */
  label: string;
  /** A line above the button. */
  intro?: string;
  /** Said instead when the browser cannot use passkeys (no script or no WebAuthn): omitted, nothing is said. */
  unsupported?: string;
  /** Fields shown with the button only (e.g. the new passkey's name), before it. */
  fields?: SafeHtml;
  /** Styles the button as the form's second choice. */
  secondary?: boolean;
}

/**
 * A passkey button for the form it sits in: hidden until `passkeys.js` finds the browser has
 * WebAuthn (`window.PublicKeyCredential`), so a browser without it (or without script) sees the
 * form's other ways only. A click asks the portal for the options (CSRF token in the JSON body),
 * runs the ceremony, puts the browser's answer in `passkeyResponse` and sends the form: the
 * answer travels in a form body, never in a URL. Failures are said in the `role="alert"` line.
 */
export function passkeyControl(page: PageContext, control: PasskeyControl): SafeHtml {
  const { t } = page;
  return html`<div class="passkey" data-passkey="${control.mode}" data-passkey-options="${control.optionsPath}"${
    control.body ? html` data-passkey-body="${JSON.stringify(control.body)}"` : ''
  }${control.send ? html` data-passkey-send="${control.send.join(' ')}"` : ''}${
    control.probe ? html` data-passkey-probe` : ''
  } hidden>
${control.intro ? html`<p>${control.intro}</p>` : ''}${control.fields ?? ''}
<button type="button" class="passkey-button${control.secondary ? ' secondary' : ''}">${control.label}</button>
<p class="notice alert" role="alert" data-passkey-failed="${t('passkeys.errors.failed')}" hidden></p>
<input type="hidden" name="${PASSKEY_RESPONSE_FIELD}" value="">
</div>${control.unsupported ? html`<p class="hint" data-passkey-unsupported>${control.unsupported}</p>` : ''}`;
}
