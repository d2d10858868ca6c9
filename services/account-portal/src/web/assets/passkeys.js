// Passkeys (WebAuthn) on the portal's pages, as progressive enhancement: every passkey button
// (`[data-passkey]`, see src/passkeys/passkey-control.ts) stays hidden unless this browser has
// WebAuthn, so a browser without it, or without script, sees the password and code forms only.
//
// A click asks the portal for the ceremony's options (a JSON POST with the page's CSRF token; the
// ceremony's id stays in the portal's session), runs it with @simplewebauthn/browser (served as
// /assets/simplewebauthn-browser.js, loaded only on pages with a passkey button), puts the
// browser's answer in the form's hidden `passkeyResponse` field and sends the form, whose answer
// is a page like any other. Nothing passkey-related ever goes into a URL.
(() => {
  const controls = document.querySelectorAll('[data-passkey]');
  if (controls.length === 0) return;
  if (!window.PublicKeyCredential) return;
  for (const note of document.querySelectorAll('[data-passkey-unsupported]')) note.hidden = true;

  // Options are asked for again when older than this: auth's ceremonies live 5 minutes by default.
  const FRESH_MS = 2 * 60 * 1000;

  let library;
  const loadLibrary = () => {
    if (!library) {
      library = new Promise((resolve, reject) => {
        const script = document.createElement('script');
        script.src = '/assets/simplewebauthn-browser.js';
        script.onload = () =>
          window.SimpleWebAuthnBrowser ? resolve(window.SimpleWebAuthnBrowser) : reject(new Error('no library'));
        script.onerror = () => {
          library = undefined;
          reject(new Error('library not loaded'));
        };
        document.head.append(script);
      });
    }
    return library;
  };

  // A refusal the portal explained in the page's language (its JSON error's message).
  class Explained extends Error {}

  for (const control of controls) {
    const form = control.closest('form');
    const button = control.querySelector('button.passkey-button');
    const failed = control.querySelector('[data-passkey-failed]');
    const answer = control.querySelector('input[name="passkeyResponse"]');
    if (!form || !button || !failed || !answer) continue;
    const register = control.getAttribute('data-passkey') === 'register';
    const url = control.getAttribute('data-passkey-options');
    const extra = JSON.parse(control.getAttribute('data-passkey-body') || '{}');
    const send = (control.getAttribute('data-passkey-send') || '').split(' ').filter(Boolean);

    const fetchOptions = async () => {
      const csrf = form.querySelector('input[name="_csrf"]');
      const body = { _csrf: csrf ? csrf.value : '', ...extra };
      for (const name of send) {
        const field = form.querySelector(`[name="${name}"]`);
        if (field?.value) body[name] = field.value;
      }
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        credentials: 'same-origin',
      });
      const json = await response.json().catch(() => undefined);
      // `options: null`: the account has no passkey, nothing to offer.
      if (!response.ok || !json || typeof json.options !== 'object' || json.options === null) {
        const message = json?.error?.message;
        throw response.status < 500 && typeof message === 'string' ? new Explained(message) : new Error('no options');
      }
      return { options: json.options, at: Date.now() };
    };

    const say = (text) => {
      failed.textContent = text;
      failed.hidden = false;
    };

    let prefetched;
    if (control.hasAttribute('data-passkey-probe')) {
      // Shown only when the account behind the page's e-mail link has a passkey.
      fetchOptions().then(
        (options) => {
          prefetched = options;
          control.hidden = false;
        },
        () => {},
      );
    } else {
      control.hidden = false;
    }

    button.addEventListener('click', async () => {
      failed.hidden = true;
      button.disabled = true;
      try {
        const webauthn = await loadLibrary();
        const ready = prefetched && Date.now() - prefetched.at < FRESH_MS ? prefetched : await fetchOptions();
        prefetched = undefined;
        const result = register
          ? await webauthn.startRegistration({ optionsJSON: ready.options })
          : await webauthn.startAuthentication({ optionsJSON: ready.options });
        answer.value = JSON.stringify(result);
        form.submit();
      } catch (error) {
        // Cancelled, timed out, no matching passkey, or the portal refused: say so, allow a retry.
        say(error instanceof Explained ? error.message : failed.getAttribute('data-passkey-failed'));
        button.disabled = false;
      }
    });
  }
})();
