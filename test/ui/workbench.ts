// Small helpers to drive the VS Code workbench in the browser, by what a person sees and types.
import type { FrameLocator, Page } from 'playwright-core';

export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** Opens a view container of the activity bar by its title. */
export async function openActivity(page: Page, title: string): Promise<void> {
  const item = page.locator(`.activitybar [aria-label^="${title}"]`).first();
  await item.waitFor();
  if ((await item.getAttribute('aria-expanded')) !== 'true' && !(await item.locator('..').getAttribute('class'))?.includes('checked')) {
    await item.click();
  }
}

/** The content frame of the active webview. */
export function activeWebview(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}
