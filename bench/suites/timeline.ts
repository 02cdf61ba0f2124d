// The timeline at scale, in headless Chromium driving the real page (the `msgtrace serve` page: same bundle,
// same protocol as the VS Code webview). Open: from the navigation to the page (a new tab each run) until every
// one of the 100k rows is in the page's model and two animation frames have passed (the first frame with rows
// drawn, then one more, with a playwright round trip to see it). That includes loading the page, building the
// rows on the host (which `msgtrace serve` starts when the page is requested, as it would for a person), packing
// and sending them, decoding them and the first draw; nothing is cached between runs. Scroll and zoom: frames per second of a requestAnimationFrame
// loop that scrolls (or zooms) every frame and draws; headless Chromium caps rAF at 60 fps, so the median frame
// cost is printed too.
import type { Browser } from 'playwright-core';
import { startTimelineServer } from '../../extension/src/cli/serveCommand';
import { TraceStore } from '../../extension/src/core/store/traceStore';
import { syntheticSpans } from '../../test/browser/timelineFixtures';
import { startTimelinePage } from '../../test/browser/timelinePage';
import { type BenchRow, type BenchSuite, median } from '../harness';

interface FrameResult {
  fps: number;
  frameMs: number;
}

export const timelineSuite: BenchSuite = {
  name: 'timeline',
  async run({ runs, quick }) {
    const count = quick ? 20_000 : 100_000;
    const store = new TraceStore({ updateIntervalMs: 20 });
    store.ingestSpans(syntheticSpans(count), { transport: 'test' });
    store.flush();
    const tp = await startTimelinePage(store);
    const open: number[] = [];
    const scroll: FrameResult[] = [];
    const zoom: FrameResult[] = [];
    let compare: number[];
    try {
      for (let r = 0; r < runs + 1; r++) {
        const page = await tp.browser.newPage({ viewport: { width: 1400, height: 860 } });
        const t0 = performance.now();
        await page.goto(tp.server.url);
        await page.waitForFunction(n => document.body.dataset.rows === String(n), count, { timeout: 60_000, polling: 'raf' });
        // The first frame with rows drawn.
        await page.evaluate(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))));
        const openMs = performance.now() - t0;
        const frames = (mode: 'scroll' | 'zoom') =>
          page.evaluate(async m => {
            type View = { draw(): void; zoomBy(f: number): void; resetZoom(): void };
            const view = (window as unknown as { msgtraceTimeline: View }).msgtraceTimeline;
            const scroller = document.querySelector('.scroller')!;
            view.resetZoom();
            const costs: number[] = [];
            let frames = 0;
            const start = performance.now();
            await new Promise<void>(done => {
              const step = () => {
                const f0 = performance.now();
                if (m === 'scroll') scroller.scrollTop += 22 * 37;
                else view.zoomBy(frames % 60 < 30 ? 0.9 : 1 / 0.9);
                view.draw();
                costs.push(performance.now() - f0);
                frames++;
                if (performance.now() - start < 2000) requestAnimationFrame(step);
                else done();
              };
              requestAnimationFrame(step);
            });
            costs.sort((a, b) => a - b);
            return { fps: (frames * 1000) / (performance.now() - start), frameMs: costs[costs.length >> 1]! };
          }, mode);
        const s = await frames('scroll');
        const z = await frames('zoom');
        await page.close();
        if (r === 0) continue; // warm-up
        open.push(openMs);
        scroll.push(s);
        zoom.push(z);
      }
      compare = await openComparison(tp.browser, count, runs);
    } finally {
      await tp.close();
    }
    const label = `${(count / 1000).toFixed(0)}k spans`;
    const rows: BenchRow[] = [
      { name: `timeline / open a ${label} run (headless Chromium)`, median: median(open), unit: 'ms', runs, better: 'lower', note: 'target <= 1000 ms; navigation to all rows drawn' },
      { name: `timeline / scroll ${label}`, median: median(scroll.map(x => x.fps)), unit: 'fps', runs, better: 'higher', note: 'target >= 30; rAF caps at 60' },
      { name: `timeline / scroll ${label}, frame cost`, median: median(scroll.map(x => x.frameMs)), unit: 'ms', runs, better: 'lower' },
      { name: `timeline / zoom ${label}`, median: median(zoom.map(x => x.fps)), unit: 'fps', runs, better: 'higher', note: 'target >= 30; rAF caps at 60' },
      { name: `timeline / zoom ${label}, frame cost`, median: median(zoom.map(x => x.frameMs)), unit: 'ms', runs, better: 'lower' },
      {
        name: `timeline / open the comparison of two ${label} runs (headless Chromium)`,
        median: median(compare),
        unit: 'ms',
        runs,
        better: 'lower',
        baseline: `timeline / open a ${label} run (headless Chromium)`,
        note: 'target <= 1500 ms; navigation to ?compare=A,B until all aligned rows are drawn',
      },
    ];
    return rows;
  },
};

/**
 * Open the comparison of two runs of `count` spans: from the navigation to `?compare=A,B` (what the "Compare…"
 * control and a shared link do) until every aligned row is in the page's model and drawn. That includes the page
 * load, aligning both runs, scanning every pair for changes, rolling up and summarizing (in slices, on the host),
 * packing and sending the pairs, decoding them and the first draw. Run B is run A two minutes later with every
 * 50th span 20% slower and every 1000th renamed, so the comparison has changes of each kind.
 */
async function openComparison(browser: Browser, count: number, runs: number): Promise<number[]> {
  const store = new TraceStore({ updateIntervalMs: 20 });
  store.ingestSpans(syntheticSpans(count, 'cccccccccccccccccccccccccccccccc'), { transport: 'test' });
  store.ingestSpans(syntheticSpans(count, 'dddddddddddddddddddddddddddddddd', { offsetMs: 120_000, slowEvery: 50, renameEvery: 1000 }), { transport: 'test' });
  store.flush();
  const [b, a] = store.runs();
  if (!a || !b || a.spanCount !== count || b.spanCount !== count) throw new Error('compare bench: expected two runs of the same size');
  const server = await startTimelineServer({ store, host: '127.0.0.1', port: 0 });
  const times: number[] = [];
  try {
    for (let r = 0; r < runs + 1; r++) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
      const t0 = performance.now();
      await page.goto(`${server.url}?compare=${a.id},${b.id}`);
      await page.waitForFunction(() => Number(document.body.dataset.compareRows) > 0, undefined, { timeout: 60_000, polling: 'raf' });
      await page.evaluate(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))));
      const ms = performance.now() - t0;
      await page.close();
      if (r > 0) times.push(ms); // the first is a warm-up
    }
  } finally {
    await server.close();
    store.dispose();
  }
  return times;
}
