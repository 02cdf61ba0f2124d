// The Backends view inside a real VS Code, against a stub Jaeger query service the check starts on loopback: the
// workspace setting lists it, the view shows its services and a service's recent traces, and a click opens a trace
// into the span explorer (marked with its source) and the timeline.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { UiCheck } from '../driver/uiCheck';
import { SHOP_TRACE_ID, T0_NS, shopTraceJson, v3Envelope } from '../unit/backends/backendFixtures';
import { startStub } from '../unit/backends/stubServer';
import { activeWebview, openActivity } from './workbench';

const workspaceSettings = path.resolve(__dirname, '..', '..', '..', 'examples', '.vscode', 'settings.json');

/** The shop trace moved to a minute ago, so it is inside the view's time window. */
function recentShopTrace(): unknown {
  const shift = BigInt(Date.now() - 60_000) * 1_000_000n - T0_NS;
  return JSON.parse(JSON.stringify(shopTraceJson()), (key, value: unknown) =>
    (key === 'startTimeUnixNano' || key === 'endTimeUnixNano' || key === 'timeUnixNano') && typeof value === 'string' ? (BigInt(value) + shift).toString() : value,
  );
}

export const backendsChecks: UiCheck[] = [
  {
    name: 'the Backends view lists a stub Jaeger\'s services and traces, and a click opens a trace in the explorer and the timeline',
    async run({ page, screenshot }) {
      const trace = recentShopTrace();
      const stub = await startStub({
        '/api/v3/services': { body: JSON.stringify({ services: ['frontend', 'checkout'] }) },
        '/api/v3/traces': { body: v3Envelope(trace as Record<string, unknown>) },
        [`/api/v3/traces/${SHOP_TRACE_ID}`]: { body: v3Envelope(trace as Record<string, unknown>) },
      });
      const hadSettings = fs.existsSync(workspaceSettings);
      const before = hadSettings ? fs.readFileSync(workspaceSettings) : undefined;
      try {
        fs.writeFileSync(workspaceSettings, JSON.stringify({ 'msgtrace.backends.list': [{ name: 'ui-stub-jaeger', kind: 'jaeger', url: stub.url }] }, null, 2));
        await openActivity(page, 'msgtrace');
        const header = page.locator('.pane-header', { hasText: 'Backends' }).first();
        await header.waitFor({ timeout: 20_000 });
        if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
        const rows = page.locator('.pane-body .monaco-list-row');
        const backend = rows.filter({ hasText: 'ui-stub-jaeger' }).first();
        await backend.waitFor({ timeout: 20_000 });
        assert.equal(stub.requests.length, 0, 'nothing is fetched before a row is expanded');
        await backend.click();
        const service = rows.filter({ hasText: /^frontend$/ }).first();
        await service.waitFor({ timeout: 20_000 });
        await service.click();
        const traceRow = rows.filter({ hasText: 'GET /checkout' }).first();
        await traceRow.waitFor({ timeout: 20_000 });
        assert.match((await traceRow.textContent()) ?? '', /120 ms/);
        await screenshot('backends-view-traces');
        await traceRow.click();

        const view = activeWebview(page);
        await view.locator('.title', { hasText: 'frontend · GET /checkout' }).waitFor({ timeout: 30_000 });
        assert.deepEqual(await view.locator('.labels .row:not([hidden]) .name').allTextContents(), ['GET /checkout', 'place order', 'SELECT stock']);
        const run = rows.filter({ hasText: 'from jaeger: ui-stub-jaeger' }).first();
        await run.waitFor({ timeout: 20_000 });
        assert.match((await run.textContent()) ?? '', /3 spans/);
        await screenshot('backends-trace-opened');
        assert.ok(stub.requests.some(r => r.path === `/api/v3/traces/${SHOP_TRACE_ID}`));
      } finally {
        if (before) fs.writeFileSync(workspaceSettings, before);
        else fs.rmSync(workspaceSettings, { force: true });
        await stub.close();
      }
    },
  },
];
