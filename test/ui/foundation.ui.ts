// UI checks of the extension's views as a person sees them, with screenshots kept in test-artifacts/.
import * as assert from 'node:assert/strict';
import type { UiCheck } from '../driver/uiCheck';
import { activeWebview, openActivity, runCommand } from './workbench';

export const foundationChecks: UiCheck[] = [
  {
    name: 'the msgtrace activity bar container shows the Spans view and its welcome text',
    async run({ page, screenshot }) {
      await openActivity(page, 'msgtrace');
      const pane = page.locator('.pane', { hasText: 'Spans' }).first();
      await pane.locator('.welcome-view-content', { hasText: 'No spans yet' }).waitFor({ timeout: 30_000 });
      assert.ok(await pane.locator('.welcome-view-content').getByRole('button', { name: 'Open Timeline' }).isVisible());
      await screenshot('spans-view-empty');
    },
  },
  {
    name: 'the status bar shows the running receiver with its port and span count',
    async run({ page, screenshot }) {
      const item = page.locator('.statusbar-item', { hasText: /msgtrace :\d+ · \d+ spans/ }).first();
      await item.waitFor({ timeout: 30_000 });
      const text = (await item.textContent()) ?? '';
      assert.match(text, /msgtrace :\d+ · 0 spans/);
      await item.hover();
      await page.locator('.monaco-hover, .hover-contents, [role="tooltip"]', { hasText: 'OTLP/HTTP' }).first().waitFor({ timeout: 10_000 });
      await screenshot('status-bar-receiver');
      await page.mouse.move(600, 400);
    },
  },
  {
    name: 'the command palette lists the commands under the msgtrace category',
    async run({ page, screenshot }) {
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible' });
      const rows = page.locator('.quick-input-list .monaco-list-row');
      // The list is virtual: look for each command by its own title rather than in one long list.
      for (const title of ['msgtrace: Open Timeline', 'msgtrace: Show Log', 'msgtrace: Stop Receiver', 'msgtrace: Copy OTLP Endpoint', 'msgtrace: Filter Spans…']) {
        await input.fill(`>${title}`);
        await rows.filter({ hasText: title }).first().waitFor({ timeout: 10_000 });
      }
      await input.fill('>msgtrace:');
      await rows.first().waitFor();
      await screenshot('command-palette');
      await page.keyboard.press('Escape');
    },
  },
  {
    name: 'the timeline webview opens from the palette and renders its empty state',
    async run({ page, screenshot }) {
      await runCommand(page, 'msgtrace: Open Timeline');
      const view = activeWebview(page);
      await view.locator('.message', { hasText: 'No run selected' }).waitFor({ timeout: 30_000 });
      assert.equal(await view.locator('.title').textContent(), 'Timeline');
      await screenshot('timeline-empty');
    },
  },
];
