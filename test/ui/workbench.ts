// Small helpers to drive the VS Code workbench in the browser, by what a person sees and types.
import type { FrameLocator, Page } from 'playwright-core';

export async function runCommand(page: Page, title: string): Promise<void> {
  // Click the row with exactly this title: Enter would run whichever fuzzy match the palette ranks first.
  // The row's label is the title, or the title and a note such as ", recently used".
  const t = title.replace(/"/g, '\\"');
  const row = page.locator(`.quick-input-list .monaco-list-row[aria-label="${t}"], .quick-input-list .monaco-list-row[aria-label^="${t}, "]`).first();
  // Right after the window opens, the palette may list commands before the extensions' contributions are
  // read; it does not refresh an open list, so try again with a new one.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    try {
      await row.waitFor({ timeout: attempt < 3 ? 8_000 : 30_000 });
      await row.click();
      return;
    } catch (err) {
      await page.keyboard.press('Escape');
      if (attempt >= 3) throw err;
    }
  }
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

