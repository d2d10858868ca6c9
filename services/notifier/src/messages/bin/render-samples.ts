/**
 * Writes services/notifier/docs/emails.md (the unlock e-mail in every locale) and, when a Chromium
 * is installed, a phone-width screenshot of each HTML part next to it.
 *
 *   node --import tsx services/notifier/src/messages/bin/render-samples.ts [--no-screenshots]
 *
 * CHROMIUM_PATH overrides where Chromium is (default /usr/bin/chromium, Debian's package).
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { DOCS_DIR, EMAILS_PAGE, emailsPage, screenshotName, unlockEmails } from '../emails-page';

const emails = await unlockEmails();
await mkdir(DOCS_DIR, { recursive: true });
await writeFile(EMAILS_PAGE, emailsPage(emails));
console.log(`wrote ${fileURLToPath(EMAILS_PAGE)}`);

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (process.argv.includes('--no-screenshots')) {
  console.log('screenshots skipped (--no-screenshots)');
} else if (!existsSync(executablePath)) {
  console.log(`screenshots skipped: no Chromium at ${executablePath} (apt-get install chromium fonts-noto-cjk)`);
} else {
  const browser = await chromium.launch({ executablePath });
  try {
    // A phone: the layout must hold at 390 px, where most customers read their mail.
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
    for (const email of emails) {
      await page.setContent(email.html, { waitUntil: 'load' });
      const path = fileURLToPath(new URL(screenshotName(email.locale), DOCS_DIR));
      await page.screenshot({ path, fullPage: true });
      console.log(`wrote ${path}`);
    }
  } finally {
    await browser.close();
  }
}
