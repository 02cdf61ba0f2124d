// Comparing two runs inside a real VS Code: two runs of the weather agent sent to the extension's receiver (the
// second with another tool result, a slower answer, one tool more and no exploder), "Compare with Previous Run"
// from the span explorer's context menu on the newer run, the aligned waterfall, "changed only" and the prompt's
// text diff in the details pane.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { CHANGED_RUN, agentRunRequest } from '../browser/timelineFixtures';
import type { UiCheck } from '../driver/uiCheck';
import { activeWebview, openActivity } from './workbench';

async function receiverPort(page: Page): Promise<number> {
  const item = page.locator('.statusbar-item', { hasText: /msgtrace :\d+/ }).first();
  await item.waitFor({ timeout: 30_000 });
  return Number(/msgtrace :(\d+)/.exec((await item.textContent()) ?? '')![1]);
}

async function post(port: number, request: unknown): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${port}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
  assert.equal(res.status, 200);
}

export const compareChecks: UiCheck[] = [
  {
    name: '"Compare with Previous Run" from the explorer shows both runs aligned, "changed only" and a prompt diff',
    async run({ page, screenshot }) {
      await openActivity(page, 'msgtrace');
      const port = await receiverPort(page);
      // The first run may be stored already (the timeline check sent it): the receiver then drops it as duplicates.
      await post(port, agentRunRequest());
      await post(port, agentRunRequest(undefined, CHANGED_RUN));
      const rows = page.locator('.pane-body .monaco-list-row');
      // Runs are listed newest first: the changed run above the first one.
      const runs = rows.filter({ hasText: 'weather-demo' });
      await runs.nth(1).waitFor({ timeout: 20_000 });
      const newer = runs.first();
      await newer.click({ button: 'right' });
      const entry = page.locator('.context-view .action-item', { hasText: 'Compare with Previous Run' }).first();
      await entry.waitFor({ timeout: 10_000 });
      await screenshot('compare-explorer-menu');
      await entry.click();

      const view = activeWebview(page);
      await view.locator('body[data-mode="compare"]').waitFor({ timeout: 30_000 });
      const listed = view.locator('.labels .row:not([hidden])');
      await listed.nth(6).waitFor({ timeout: 20_000 });
      assert.deepEqual(await view.locator('.labels .row:not([hidden]) .name').allTextContents(), [
        'Weather Flow',
        'Weather Agent',
        'chat gpt-4o-mini',
        'execute_tool get_weather',
        'execute_tool get_forecast',
        'chat gpt-4o-mini',
        'Exploder',
      ]);
      assert.equal(await listed.nth(4).getAttribute('data-change'), 'added');
      assert.equal(await listed.nth(6).getAttribute('data-change'), 'removed');
      await screenshot('compare-aligned-waterfall');

      await view.locator('input[name="changed-only"]').check();
      await view.locator('.status', { hasText: /6 listed/ }).waitFor({ timeout: 10_000 });
      assert.equal(await listed.count(), 6, 'the unchanged first model call is filtered out');
      await screenshot('compare-changed-only');

      await listed.filter({ hasText: 'chat gpt-4o-mini' }).last().click();
      const prompt = view.locator('.pair-details .text-diff[data-field="Prompt"]');
      await prompt.waitFor({ timeout: 10_000 });
      assert.match((await prompt.locator('.diff-side-a .diff-removed').allTextContents()).join(''), /17/);
      assert.match((await prompt.locator('.diff-side-b .diff-added').allTextContents()).join(''), /12/);
      await screenshot('compare-prompt-diff');
    },
  },
];
