import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** Test artifacts (git-ignored): what the run saw. */
const ARTIFACTS = join(root, 'tests', 'artifacts', 'console');
/** The README's pictures of the console, refreshed with UPDATE_SCREENSHOTS=1. */
const README_SCREENSHOTS = join(root, 'services', 'support-cases', 'console', 'screenshots');

/**
 * A full-page PNG in tests/artifacts/console; `readmeName` also refreshes the README's copy on
 * request (`UPDATE_SCREENSHOTS=1`), in `readmeDir` (default: the console's screenshots).
 */
export async function screenshot(
  page: Page,
  name: string,
  readmeName?: string,
  readmeDir: string = README_SCREENSHOTS,
): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  if (readmeName && process.env.UPDATE_SCREENSHOTS === '1') {
    mkdirSync(readmeDir, { recursive: true });
    copyFileSync(path, join(readmeDir, `${readmeName}.png`));
  }
  return path;
}

/** Where the README's pictures of the account portal live. */
export const PORTAL_SCREENSHOTS = join(root, 'services', 'account-portal', 'screenshots');
