// Starts the stand-alone timeline page (the server of `msgtrace serve`) on a store the test fills, and opens
// it in Debian's Chromium: the harness of the browser tests and of the timeline benchmark.
import type { Browser, Page } from 'playwright-core';
import { TraceStore } from '../../extension/src/core/store/traceStore';
import { type TimelineServer, startTimelineServer } from '../../extension/src/cli/serveCommand';
import { launchChromium } from '../driver/codeServer';

export interface TimelinePage {
  readonly store: TraceStore;
  readonly server: TimelineServer;
  readonly browser: Browser;
  /** Opens a new tab on the page and waits for its first state. */
  open(viewport?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

export async function startTimelinePage(store = new TraceStore({ updateIntervalMs: 20 })): Promise<TimelinePage> {
  const server = await startTimelineServer({ store, host: '127.0.0.1', port: 0 });
  const browser = await launchChromium();
  return {
    store,
    server,
    browser,
    async open(viewport = { width: 1400, height: 860 }) {
      const page = await browser.newPage({ viewport });
      page.on('console', m => {
        if (m.type() === 'error') console.log(`    [page] ${m.text()}`);
      });
      await page.goto(server.url);
      await page.locator('body[data-ready="true"]').waitFor({ timeout: 30_000 });
      return page;
    },
    async close() {
      await browser.close();
      await server.close();
      store.dispose();
    },
  };
}
