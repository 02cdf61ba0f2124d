// The Capture view: a flag switched in the sidebar is the setting in VS Code's Settings editor.
import * as assert from 'node:assert/strict';
import type { UiCheck } from '../driver/uiCheck';
import { openActivity, runCommand } from './workbench';

export const captureChecks: UiCheck[] = [
  {
    name: 'a capture flag switched in the sidebar shows as changed in the Settings editor',
    async run({ page, screenshot }) {
      await openActivity(page, 'msgtrace');
      const header = page.locator('.pane-header', { hasText: 'Capture' }).first();
      await header.waitFor();
      if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
      const row = page.locator('.pane-body .monaco-list-row', { hasText: 'Module state dict' }).first();
      await row.waitFor({ timeout: 20_000 });
      const checkbox = row.locator('.custom-view-tree-node-item-checkbox').first();
      assert.equal(await checkbox.getAttribute('aria-checked'), 'false', 'state dict capture starts off');
      await checkbox.click();
      await page.waitForFunction(
        () => document.querySelector('.monaco-list-row[aria-label*="Module state dict"] .custom-view-tree-node-item-checkbox')?.getAttribute('aria-checked') === 'true',
        undefined,
        { timeout: 10_000 },
      );
      await screenshot('capture-view-state-dict-on');

      await runCommand(page, 'Preferences: Open Settings (UI)');
      // The search box is a small Monaco editor: focus it, then type as a person does.
      const search = page.locator('.settings-editor .suggest-input-container').first();
      await search.waitFor({ timeout: 20_000 });
      await search.click();
      await page.keyboard.press('Control+A');
      await page.keyboard.type('msgtrace.capture.stateDict');
      const setting = page.locator('.settings-editor .setting-item-bool', { hasText: 'State Dict' }).first();
      await setting.waitFor({ timeout: 20_000 });
      const value = setting.locator('.setting-value-checkbox').first();
      assert.equal(await value.getAttribute('aria-checked'), 'true', 'the Settings editor shows the flag on');
      assert.match((await setting.textContent()) ?? '', /Captures content/);
      await screenshot('settings-capture-state-dict');
      // Put it back, from the Settings editor this time, and see the sidebar follow.
      await value.click();
      await page.waitForFunction(
        () => document.querySelector('.monaco-list-row[aria-label*="Module state dict"] .custom-view-tree-node-item-checkbox')?.getAttribute('aria-checked') === 'false',
        undefined,
        { timeout: 10_000 },
      );
      await page.keyboard.press('Control+W');
    },
  },
];
