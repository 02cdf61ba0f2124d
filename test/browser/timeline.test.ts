// Browser tests of the timeline page as `msgtrace serve` serves it, in Debian's Chromium: a click through an
// agent run, and proof that span text holding markup or script runs nothing and shows as text.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { artifactsDir } from '../driver/codeServer';
import { HOSTILE_NAME, HOSTILE_VALUE, agentRunRequest, hostileRunRequest, ingestRequest, syntheticSpans } from './timelineFixtures';
import { type TimelinePage, startTimelinePage } from './timelinePage';

const shots = path.join(artifactsDir, 'screenshots');
const shot = async (page: Page, name: string) => {
  fs.mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, `${name}.png`) });
};

describe('timeline page (msgtrace serve) in Chromium', function () {
  this.timeout(90_000);
  let tp: TimelinePage;

  before(async () => {
    tp = await startTimelinePage();
  });
  after(async () => {
    await tp.close();
  });

  it('clicks through an agent run: waterfall, chat view of a model call, tool call, error with stack', async () => {
    ingestRequest(tp.store, agentRunRequest());
    tp.store.flush();
    const page = await tp.open();
    const errors: string[] = [];
    page.on('pageerror', e => errors.push(e.message));
    assert.equal(await page.locator('.title').textContent(), 'weather-demo · Weather Flow');
    const rows = page.locator('.labels .row:not([hidden])');
    await rows.nth(5).waitFor();
    assert.deepEqual(await page.locator('.labels .row:not([hidden]) .name').allTextContents(), [
      'Weather Flow',
      'Weather Agent',
      'chat gpt-4o-mini',
      'execute_tool get_weather',
      'chat gpt-4o-mini',
      'Exploder',
    ]);
    assert.equal(await rows.nth(2).getAttribute('aria-label'), 'chat gpt-4o-mini, model, 800 ms');
    await shot(page, 'timeline-page-agent-run');

    // The second model call: the chat shows the tool round trip and the answer.
    await rows.nth(4).click();
    const chat = page.locator('.details .chat');
    await chat.waitFor();
    assert.deepEqual(await chat.locator('.msg-role').allTextContents(), ['user', 'assistant', 'tool', 'assistant']);
    assert.match((await chat.locator('.tool-call-head').first().textContent()) ?? '', /tool call get_weather \(call_1\)/);
    assert.match((await chat.textContent()) ?? '', /take an umbrella/);
    assert.equal(await page.locator('.usage tr', { hasText: 'input tokens' }).locator('td').first().textContent(), '210');
    await shot(page, 'timeline-page-chat');
    await chat.getByRole('button', { name: 'Raw JSON' }).click();
    assert.ok(await chat.locator('.chat-raw').isVisible());
    assert.match((await chat.locator('.raw-key').first().textContent()) ?? '', /gen_ai.input.messages/);

    // Keyboard: back in the list, up to the tool call.
    await page.locator('.scroller').focus();
    await page.keyboard.press('ArrowUp');
    await page.locator('.details .tool-name', { hasText: 'get_weather (call_1)' }).waitFor();
    await shot(page, 'timeline-page-tool');

    // The error: exception with its frames (this page cannot open files, so frames are plain text).
    await rows.nth(5).click();
    await page.locator('.details .exception-head', { hasText: 'ValueError: boom: 7' }).waitFor();
    const frames = await page.locator('.details .frame-text').allTextContents();
    assert.equal(frames.length, 2);
    assert.match(frames[1]!, /explode .*demo_program\.py:20/);
    await shot(page, 'timeline-page-error');

    // Search by attribute value (answered by the host), then "matches only".
    await page.locator('.search').fill('lisbon');
    await page.locator('.status', { hasText: '3 matches' }).waitFor();
    await page.locator('input[name="matches-only"]').check();
    await page.waitForFunction(() => document.querySelectorAll('.labels .row:not([hidden])').length === 5);
    await page.locator('input[name="critical"]').check();
    await shot(page, 'timeline-page-search');

    // Collapse with the keyboard: select the agent, Left collapses its subtree.
    await page.locator('input[name="matches-only"]').uncheck();
    await page.locator('.search').fill('');
    await rows.nth(1).click();
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(() => document.querySelectorAll('.labels .row:not([hidden])').length === 3);
    assert.equal(await rows.nth(1).getAttribute('aria-expanded'), 'false');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('drives the waterfall with the mouse and keys: double click, drag, Ctrl+wheel, minimap, fold triangle', async () => {
    tp.store.clear();
    ingestRequest(tp.store, agentRunRequest());
    tp.store.flush();
    const page = await tp.open();
    const errors: string[] = [];
    page.on('pageerror', e => errors.push(e.message));
    type Win = { start: number; end: number };
    const win = () => page.evaluate(() => (window as unknown as { msgtraceTimeline: { timeWindow: Win } }).msgtraceTimeline.timeWindow);
    const rows = page.locator('.labels .row:not([hidden])');
    await rows.nth(5).waitFor();
    const shown = async (n: number) => page.waitForFunction(k => document.querySelectorAll('.labels .row:not([hidden])').length === k, n);
    // The run is 0..2400 ms; the fitted window adds 2% on each side.
    const bounds = await win();
    assert.deepEqual(bounds, { start: -48, end: 2448 });

    // Double click on the tool call's bar (row 3, 830 ms + 400 ms): the window is that span with 5% air.
    const bars = page.locator('.bars');
    await bars.dblclick({ position: { x: 200, y: 3 * 22 + 11 } });
    const span = await win();
    assert.ok(Math.abs(span.start - 810) < 1e-6 && Math.abs(span.end - 1250) < 1e-6, JSON.stringify(span));

    // The clicks of the double click selected the span; a drag (from another row) pans later in time, keeping
    // the width, and leaves the selection alone.
    const selectedName = page.locator('.labels .row[data-sel="true"] .name');
    assert.equal(await selectedName.textContent(), 'execute_tool get_weather');
    const box = (await bars.boundingBox())!;
    const y = box.y + 11;
    await page.mouse.move(box.x + 400, y);
    await page.mouse.down();
    await page.mouse.move(box.x + 300, y, { steps: 5 });
    await page.mouse.up();
    const panned = await win();
    assert.ok(panned.start > span.start, JSON.stringify(panned));
    assert.ok(Math.abs(panned.end - panned.start - 440) < 1e-6, JSON.stringify(panned));
    assert.equal(await selectedName.textContent(), 'execute_tool get_weather');

    // A click on a bar selects its span.
    await bars.click({ position: { x: 10, y: 2 * 22 + 11 } });
    await selectedName.filter({ hasText: 'chat gpt-4o-mini' }).waitFor();

    // Ctrl+wheel up zooms in around the pointer; 0 fits the run again.
    await page.mouse.move(box.x + 300, y);
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -200);
    await page.keyboard.up('Control');
    await page.waitForFunction(w => {
      const now = (window as unknown as { msgtraceTimeline: { timeWindow: Win } }).msgtraceTimeline.timeWindow;
      return now.end - now.start < w;
    }, 440);
    await page.locator('.scroller').focus();
    await page.keyboard.press('0');
    assert.deepEqual(await win(), bounds);

    // Zoomed in, a click on the overview's left edge moves the window to the run's start.
    await page.keyboard.press('-');
    await page.keyboard.press('+');
    await page.keyboard.press('+');
    const zoomed = await win();
    assert.ok(zoomed.end - zoomed.start < 2496 / 2, JSON.stringify(zoomed));
    await page.locator('.minimap').click({ position: { x: 1, y: 10 } });
    const moved = await win();
    assert.equal(moved.start, bounds.start);
    assert.ok(Math.abs(moved.end - moved.start - (zoomed.end - zoomed.start)) < 1e-6);

    // The triangle folds and unfolds a subtree; Home, End and n move the selection.
    await rows.nth(1).locator('.twisty').click();
    await shown(3);
    assert.equal(await rows.nth(1).getAttribute('aria-expanded'), 'false');
    await rows.nth(1).locator('.twisty').click();
    await shown(6);
    await page.locator('.scroller').focus();
    await page.keyboard.press('End');
    await selectedName.filter({ hasText: 'Exploder' }).waitFor();
    await page.keyboard.press('Home');
    await selectedName.filter({ hasText: 'Weather Flow' }).waitFor();
    await page.locator('.search').fill('execute_tool');
    await page.locator('.status', { hasText: '1 matches' }).waitFor();
    await page.locator('.scroller').focus();
    await page.keyboard.press('n');
    await selectedName.filter({ hasText: 'execute_tool get_weather' }).waitFor();
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('keeps zoom, scroll and selection when spans arrive live', async () => {
    tp.store.clear();
    const spans = syntheticSpans(2000, 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb');
    tp.store.ingestSpans(spans.slice(0, 1000), { transport: 'test' });
    tp.store.flush();
    const page = await tp.open();
    await page.waitForFunction(() => document.body.dataset.rows === '1000');
    await page.locator('.scroller').evaluate(e => (e.scrollTop = 22 * 300));
    await page.locator('.labels .row:not([hidden])').nth(5).click();
    const selectedName = await page.locator('.labels .row[data-sel="true"] .name').textContent();
    await page.locator('.scroller').focus();
    await page.keyboard.press('+');
    await page.keyboard.press('+');
    const before = await page.evaluate(() => (window as unknown as { msgtraceTimeline: { timeWindow: unknown } }).msgtraceTimeline.timeWindow);
    const selectedKey = await page.locator('.labels .row[data-sel="true"]').getAttribute('data-key');
    tp.store.ingestSpans(spans.slice(1000), { transport: 'test' });
    tp.store.flush();
    await page.waitForFunction(() => document.body.dataset.rows === '2000');
    const after = await page.evaluate(() => (window as unknown as { msgtraceTimeline: { timeWindow: unknown } }).msgtraceTimeline.timeWindow);
    assert.deepEqual(after, before);
    assert.equal(await page.locator('.labels .row[data-sel="true"]').getAttribute('data-key'), selectedKey);
    assert.equal(await page.locator('.labels .row[data-sel="true"] .name').textContent(), selectedName);
    await page.close();
  });

  it('shows span names and attributes holding HTML and script as text, and runs none of it', async () => {
    tp.store.clear();
    ingestRequest(tp.store, hostileRunRequest());
    tp.store.flush();
    const page = await tp.open();
    const dialogs: string[] = [];
    page.on('dialog', d => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const csp: string[] = [];
    page.on('console', m => {
      if (/Content Security Policy/.test(m.text())) csp.push(m.text());
    });
    const first = page.locator('.labels .row:not([hidden])').first();
    await first.waitFor();
    assert.equal(await first.locator('.name').textContent(), HOSTILE_NAME);
    await first.click();
    await page.locator('.details .detail-title').waitFor();
    assert.equal(await page.locator('.details .detail-title').textContent(), HOSTILE_NAME);
    const noteRow = page.locator('.attr-row', { hasText: 'note' });
    assert.equal(await noteRow.locator('.value-text').textContent(), HOSTILE_VALUE);
    assert.match((await page.locator('.details .chat').textContent()) ?? '', /<svg onload=/);
    await page.locator('.labels .row:not([hidden])').nth(1).click();
    await page.locator('.attr-key', { hasText: '<img src=x' }).waitFor();
    await page.waitForTimeout(300);
    await shot(page, 'timeline-page-hostile-text');
    const dom = await page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: number }).__pwned,
      injected: document.querySelectorAll('#app img, #app script, #app svg, #app iframe, #app b').length,
    }));
    assert.deepEqual(dom, { pwned: undefined, injected: 0 });
    assert.deepEqual(dialogs, []);
    await page.close();
  });

  it('serves the page with a strict CSP and refuses foreign origins and hosts', async () => {
    const res = await fetch(tp.server.url);
    const html = await res.text();
    const meta = /content="(default-src[^"]+)"/.exec(html)![1]!;
    assert.match(meta, /default-src 'none'/);
    assert.match(meta, /script-src 'nonce-[A-Za-z0-9+/=]+'/);
    assert.doesNotMatch(meta, /unsafe-inline|unsafe-eval|https?:/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal((await fetch(new URL('/etc/passwd', tp.server.url))).status, 404);
    assert.equal((await fetch(new URL('/media/../package.json', tp.server.url))).status, 404);
    const port = new URL(tp.server.url).port;
    // fetch() does not let a caller set Host; a DNS-rebinding page would send its own name there.
    const http = await import('node:http');
    const rebinding = await new Promise<number>((resolve, reject) =>
      http.get({ host: '127.0.0.1', port, path: '/', headers: { host: `evil.example:${port}` } }, r => resolve(r.statusCode ?? 0)).on('error', reject),
    );
    assert.equal(rebinding, 421);
    const { WebSocket } = await import('ws');
    const refused = await new Promise<boolean>(resolve => {
      const ws = new WebSocket(tp.server.url.replace('http', 'ws') + 'ws', { headers: { origin: 'http://evil.example' } });
      ws.on('open', () => resolve(false));
      ws.on('error', () => resolve(true));
    });
    assert.equal(refused, true);
  });
});
