// Browser tests of the comparison of two runs on the timeline page as `msgtrace serve` serves it, in Debian's
// Chromium: two runs of the weather agent where run B has a changed tool result (and so a changed prompt), a
// removed span, an added span and a slowed span.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { artifactsDir } from '../driver/codeServer';
import { CHANGED_RUN, agentRunRequest, ingestRequest } from './timelineFixtures';
import { type TimelinePage, startTimelinePage } from './timelinePage';

const shots = path.join(artifactsDir, 'screenshots');
const shot = async (page: Page, name: string) => {
  fs.mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, `${name}.png`) });
};

const ROWS = '.labels .row:not([hidden])';

describe('comparison page (msgtrace serve) in Chromium', function () {
  this.timeout(90_000);
  let tp: TimelinePage;
  let runA: number;
  let runB: number;

  before(async () => {
    tp = await startTimelinePage();
    ingestRequest(tp.store, agentRunRequest());
    ingestRequest(tp.store, agentRunRequest(undefined, CHANGED_RUN));
    tp.store.flush();
    const [b, a] = tp.store.runs();
    runA = a!.id;
    runB = b!.id;
  });
  after(async () => {
    await tp.close();
  });

  it('shows both runs aligned: +/− marks, changed rows, "changed only", next change, the prompt diff', async () => {
    const page = await tp.open();
    const errors: string[] = [];
    page.on('pageerror', e => errors.push(e.message));
    await page.goto(`${tp.server.url}?compare=${runA},${runB}`);
    await page.locator('body[data-mode="compare"]').waitFor();
    const rows = page.locator(ROWS);
    await rows.nth(6).waitFor();
    assert.deepEqual(await page.locator(`${ROWS} .name`).allTextContents(), [
      'Weather Flow',
      'Weather Agent',
      'chat gpt-4o-mini',
      'execute_tool get_weather',
      'execute_tool get_forecast',
      'chat gpt-4o-mini',
      'Exploder',
    ]);
    // The gutter: + only in B, − only in A, ~ changed.
    const marks = await page.locator(`${ROWS} .change-mark`).allTextContents();
    assert.equal(marks[4], '+');
    assert.equal(marks[6], '−');
    assert.equal(marks[3], '~');
    assert.equal(marks[5], '~');
    assert.equal(await rows.nth(4).getAttribute('data-change'), 'added');
    assert.equal(await rows.nth(6).getAttribute('data-change'), 'removed');
    assert.match((await rows.nth(5).getAttribute('aria-label')) ?? '', /changed: .*duration.*messages/);
    // The run summary: A → B with the change, a column per figure.
    const summary = page.locator('.compare-summary');
    assert.equal(await page.locator('.title').textContent(), 'weather-demo · Weather Flow → weather-demo · Weather Flow');
    const errorsColumn = summary.locator('td[data-label="errors"]');
    assert.deepEqual(await errorsColumn.allTextContents(), ['1', '0', '−1', '−100%']);
    assert.equal(await errorsColumn.last().getAttribute('data-trend'), 'better');
    const time = summary.locator('td[data-label="total time"]');
    assert.deepEqual(await time.allTextContents(), ['2.4 s', '3.2 s', '+800 ms', '+33.3%']);
    assert.equal(await time.last().getAttribute('data-trend'), 'worse');
    assert.match((await page.locator('.pair-counts').textContent()) ?? '', /1 only in A · 1 only in B/);
    await shot(page, 'comparison-page-aligned');

    // "Changed only": the unchanged first model call goes; its changed siblings and their ancestors stay.
    const changedOnly = page.locator('input[name="changed-only"]');
    await changedOnly.check();
    await page.waitForFunction(n => document.querySelectorAll('.labels .row:not([hidden])').length === n, 6);
    assert.deepEqual(await page.locator(`${ROWS} .name`).allTextContents(), [
      'Weather Flow',
      'Weather Agent',
      'execute_tool get_weather',
      'execute_tool get_forecast',
      'chat gpt-4o-mini',
      'Exploder',
    ]);
    assert.match((await page.locator('.status').textContent()) ?? '', /7 rows · 6 differ · 6 listed/);
    await shot(page, 'comparison-page-changed-only');
    await changedOnly.uncheck();
    await page.waitForFunction(n => document.querySelectorAll('.labels .row:not([hidden])').length === n, 7);

    // Next change with the keyboard (F7), from the top: the first changed row, then the next; Shift+F7 back.
    const selected = page.locator('.labels .row[data-sel="true"]');
    await rows.nth(0).click();
    const order: string[] = [];
    for (let k = 0; k < 3; k++) {
      await page.keyboard.press('F7');
      await page.waitForFunction(prev => document.querySelector('.labels .row[data-sel="true"]')?.getAttribute('data-key') !== prev, order.at(-1) ?? '0');
      order.push((await selected.getAttribute('data-key'))!);
    }
    assert.equal(new Set(order).size, 3, order.join(' '));
    const third = await selected.locator('.name').textContent();
    await page.keyboard.press('Shift+F7');
    await page.waitForFunction(k => document.querySelector('.labels .row[data-sel="true"]')?.getAttribute('data-key') === k, order[1]!);
    assert.notEqual(await selected.locator('.name').textContent(), null);
    assert.ok(third);
    // ] is the same as F7.
    await page.keyboard.press(']');
    await page.waitForFunction(k => document.querySelector('.labels .row[data-sel="true"]')?.getAttribute('data-key') === k, order[2]!);

    // The slowed answer: both spans side by side, the prompt diffed in chat form.
    await rows.nth(5).click();
    const pane = page.locator('.pair-details');
    await pane.locator('> .detail-header .detail-title', { hasText: 'chat gpt-4o-mini' }).waitFor();
    assert.match((await pane.locator('.pair-changes').textContent()) ?? '', /changed: .*duration.*messages/);
    assert.deepEqual(await pane.locator('.pair-figures tr[data-label="duration"] td').allTextContents(), ['810 ms', '1.61 s', '+800 ms +98.8%']);
    const prompt = pane.locator('.text-diff[data-field="Prompt"]');
    await prompt.waitFor();
    assert.deepEqual(await prompt.locator('.diff-side-a .msg-role').allTextContents(), ['user', 'assistant', 'tool']);
    assert.deepEqual(await prompt.locator('.diff-side-b .msg-role').allTextContents(), ['user', 'assistant', 'tool']);
    const removed = (await prompt.locator('.diff-side-a .diff-removed').allTextContents()).join('');
    const added = (await prompt.locator('.diff-side-b .diff-added').allTextContents()).join('');
    assert.match(removed, /17/);
    assert.match(added, /12/);
    assert.equal(await prompt.locator('.diff-side-a .diff-added').count(), 0, 'A shows no added text');
    // Each side's full span details, reused from the timeline's pane.
    assert.equal(await pane.locator('.span-details .detail-title').count(), 2);
    await shot(page, 'comparison-page-prompt-diff');

    // The changed tool result, and a one-sided (removed) span.
    await rows.nth(3).click();
    const result = pane.locator('.text-diff[data-field="Tool result"]');
    await result.waitFor();
    assert.match((await result.locator('.diff-side-a').textContent()) ?? '', /"temp_c": 17/);
    assert.match((await result.locator('.diff-side-b').textContent()) ?? '', /"temp_c": 12/);
    await rows.nth(6).click();
    await pane.locator('.pair-match', { hasText: 'only in A' }).waitFor();
    assert.equal(await pane.locator('.span-details .exception-head').first().textContent(), 'ValueError: boom: 7');
    // Search reaches attribute values of both runs (the host answers with either side's spans).
    await page.locator('.search').fill('rain_probability');
    await page.locator('.status', { hasText: '2 matches' }).waitFor();
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('picks the two runs with "Compare…" from a run\'s timeline, and goes back with "Close comparison"', async () => {
    const page = await tp.open();
    const errors: string[] = [];
    page.on('pageerror', e => errors.push(e.message));
    await page.locator('body[data-mode="timeline"]').waitFor();
    await page.locator('.compare-open').click();
    await page.locator('.pick-a').selectOption(String(runA));
    await page.locator('.pick-b').selectOption(String(runB));
    await page.locator('.compare-go').click();
    await page.locator('body[data-mode="compare"]').waitFor();
    await page.locator(ROWS).nth(6).waitFor();
    assert.equal(new URL(page.url()).search, `?compare=${runA},${runB}`);
    // The pickers compare again at once: B with itself has no change; B → A has the forecast removed and the
    // Exploder added.
    await page.locator('.pick-a').selectOption(String(runB));
    await page.waitForFunction(() => document.querySelector('.status')?.textContent?.includes(' 0 differ'));
    await page.locator('.pick-b').selectOption(String(runA));
    await page.waitForFunction(
      () =>
        document.querySelector('.labels .row[data-change="removed"] .name')?.textContent === 'execute_tool get_forecast' &&
        document.querySelector('.labels .row[data-change="added"] .name')?.textContent === 'Exploder',
    );
    await shot(page, 'comparison-page-swapped');
    await page.locator('.compare-close').click();
    await page.locator('body[data-mode="timeline"]').waitFor();
    await page.waitForFunction(() => document.body.dataset.rows === '6');
    assert.equal(new URL(page.url()).search, '');
    assert.equal(await page.locator('.compare-summary').count(), 0);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('shows the comparison live while run B receives spans, and says so when a run is cleared', async () => {
    const page = await tp.open();
    await page.goto(`${tp.server.url}?compare=${runA},${runB}`);
    await page.waitForFunction(() => document.body.dataset.compareRows === '7');
    // More spans of run B (another trace of the same service, close in time: the same run).
    ingestRequest(tp.store, agentRunRequest(undefined, { ...CHANGED_RUN, traceId: '8e1f0008a9149214e37ac744924fd71d', offsetMs: 62_000 }));
    tp.store.flush();
    await page.waitForFunction(() => Number(document.body.dataset.compareRows) > 7);
    tp.store.clearRun(runA);
    tp.store.flush();
    await page.locator('.message', { hasText: 'is gone' }).waitFor();
    assert.match((await page.locator('.message').textContent()) ?? '', /^Run A \(weather-demo · Weather Flow\) is gone/);
    await shot(page, 'comparison-page-run-gone');
    await page.close();
  });
});
