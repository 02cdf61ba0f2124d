// UI checks of the timeline webview inside a real VS Code: spans sent to the extension's receiver show in the
// waterfall, a model call reads as a chat, and a stack frame opens its file in the editor.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { UiCheck } from '../driver/uiCheck';
import { agentRunRequest } from '../browser/timelineFixtures';
import { activeWebview, openActivity, runCommand } from './workbench';

async function receiverPort(page: Page): Promise<number> {
  const item = page.locator('.statusbar-item', { hasText: /msgtrace :\d+/ }).first();
  await item.waitFor({ timeout: 30_000 });
  return Number(/msgtrace :(\d+)/.exec((await item.textContent()) ?? '')![1]);
}

export const timelineChecks: UiCheck[] = [
  {
    name: 'the timeline shows a run sent to the receiver, with the chat of a model call',
    async run({ page, screenshot }) {
      // The extension activates with its view; the status bar then shows the receiver's port.
      await openActivity(page, 'msgtrace');
      const port = await receiverPort(page);
      const res = await fetch(`http://127.0.0.1:${port}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(agentRunRequest()),
      });
      assert.equal(res.status, 200);
      await runCommand(page, 'msgtrace: Open Timeline');
      const view = activeWebview(page);
      await view.locator('.title', { hasText: 'weather-demo · Weather Flow' }).waitFor({ timeout: 30_000 });
      const rows = view.locator('.labels .row:not([hidden])');
      await rows.nth(5).waitFor();
      assert.deepEqual(await view.locator('.labels .row:not([hidden]) .name').allTextContents(), [
        'Weather Flow',
        'Weather Agent',
        'chat gpt-4o-mini',
        'execute_tool get_weather',
        'chat gpt-4o-mini',
        'Exploder',
      ]);
      // Recycled rows of an earlier, longer run must not show through (the hidden attribute must win over CSS).
      assert.equal(await view.locator('.labels .row:visible').count(), 6);
      await screenshot('timeline-run');
      await rows.nth(4).click();
      const chat = view.locator('.details .chat');
      await chat.waitFor({ timeout: 10_000 });
      assert.deepEqual(await chat.locator('.msg-role').allTextContents(), ['user', 'assistant', 'tool', 'assistant']);
      await screenshot('timeline-chat');
    },
  },
  {
    name: 'a stack frame of the error opens its file in the editor',
    async run({ page, screenshot }) {
      const view = activeWebview(page);
      await view.locator('.labels .row:not([hidden])', { hasText: 'Exploder' }).click();
      const frame = view.locator('.details .frame-link', { hasText: 'explode' });
      await frame.waitFor({ timeout: 10_000 });
      await screenshot('timeline-error');
      await frame.click();
      await page.locator('.tab', { hasText: 'demo_program.py' }).first().waitFor({ timeout: 20_000 });
      await screenshot('timeline-go-to-source');
    },
  },
];
