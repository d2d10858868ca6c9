// The portal's only script (progressive enhancement, no inline code anywhere).
// E-mail links carry their single-use token in the fragment (#token=...), which browsers never
// send to a server. Here it is moved into the form's hidden field, then removed from the address
// bar and history, so it is not in a bookmark, a screenshot of the URL or a later Referer.
// It is kept in this tab's sessionStorage only until the form is sent, so switching the language
// (which reloads the page) does not lose it.
// On the reset page it also shows what auth's password policy thinks as the customer types.
(() => {
  const field = document.querySelector('input[data-token-from-fragment]');
  const storageKey = `portal-token:${location.pathname}`;
  const params = new URLSearchParams(location.hash.slice(1));
  const fromFragment = params.get('token');
  if (location.hash) history.replaceState(null, '', location.pathname);
  if (!field) {
    // A result page: the token was used (or refused); forget every one this tab kept.
    for (const key of Object.keys(sessionStorage)) if (key.startsWith('portal-token:')) sessionStorage.removeItem(key);
    return;
  }
  const token = fromFragment || sessionStorage.getItem(storageKey);
  const missing = document.getElementById('token-missing');
  const form = field.form;
  if (!token) {
    if (missing) missing.hidden = false;
    if (form) for (const button of form.querySelectorAll('button')) button.disabled = true;
    return;
  }
  sessionStorage.setItem(storageKey, token);
  field.value = token;
})();

// Live password feedback: a pause in typing sends the password (with the form's CSRF token) to the
// portal's JSON endpoint, which asks auth's policy and answers in the page's language. Only the
// latest answer is shown; any failure leaves the hint empty, since the submit is checked anyway.
(() => {
  const input = document.querySelector('input[data-password-feedback]');
  const region = document.getElementById('password-feedback');
  if (!input || !region || !input.form) return;
  const url = input.getAttribute('data-password-feedback');
  const csrf = input.form.querySelector('input[name="_csrf"]');
  const PAUSE_MS = 400;
  let timer;
  let latest = 0;

  const show = (feedback) => {
    const box = document.createElement('div');
    box.className = `notice ${feedback.acceptable ? 'status' : 'alert'}`;
    const summary = document.createElement('p');
    summary.textContent = feedback.summary;
    box.append(summary);
    if (feedback.problems.length > 0) {
      const list = document.createElement('ul');
      list.className = 'reasons';
      for (const problem of feedback.problems) {
        const item = document.createElement('li');
        item.textContent = problem;
        list.append(item);
      }
      box.append(list);
    }
    region.replaceChildren(box);
  };

  const check = async (password, call) => {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ _csrf: csrf ? csrf.value : '', password }),
        credentials: 'same-origin',
      });
      const feedback = response.ok ? await response.json() : undefined;
      if (call !== latest) return;
      if (feedback && typeof feedback.summary === 'string' && Array.isArray(feedback.problems)) show(feedback);
      else region.replaceChildren();
    } catch {
      if (call === latest) region.replaceChildren();
    }
  };

  input.addEventListener('input', () => {
    clearTimeout(timer);
    latest += 1;
    const call = latest;
    const password = input.value;
    if (password === '') {
      region.replaceChildren();
      return;
    }
    timer = setTimeout(() => check(password, call), PAUSE_MS);
  });
})();

// The recovery codes' "print" button: shown only when this script runs (it needs window.print).
(() => {
  for (const button of document.querySelectorAll('button[data-print]')) {
    button.hidden = false;
    button.addEventListener('click', () => window.print());
  }
})();
