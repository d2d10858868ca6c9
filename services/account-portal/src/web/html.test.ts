import { describe, expect, it } from 'vitest';
import { html } from './html';

describe('html', () => {
  it('escapes every inserted value unless it is html itself', () => {
    const typed = '"><script>alert(1)</script>';
    expect(html`<input value="${typed}">`.value).toBe(
      '<input value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">',
    );
    expect(html`<p>${html`<b>${'&'}</b>`}${['a', '<']}${false}${undefined}</p>`.value).toBe('<p><b>&amp;</b>a&lt;</p>');
  });
});
