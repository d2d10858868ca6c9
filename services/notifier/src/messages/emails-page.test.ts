import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { EMAILS_PAGE, emailsPage, unlockEmails } from './emails-page';

describe('docs/emails.md', () => {
  it('is what the templates produce today (regenerate: node --import tsx services/notifier/src/messages/bin/render-samples.ts)', async () => {
    const committed = await readFile(EMAILS_PAGE, 'utf8');
    expect(committed).toBe(emailsPage(await unlockEmails()));
  });

  it('shows the unlock e-mail in English and in Chinese', async () => {
    const page = emailsPage(await unlockEmails());
    expect(page).toContain('Subject: **Unlock your account**');
    expect(page).toContain('Subject: **解锁您的账户**');
    expect(page).toContain('http://localhost:4005/unlock#token=');
  });
});
