// Export as OTLP/JSON lines and import of such files (and of single documents): round trips, the format
// `msgtrace record` writes, and bad files named by line and problem.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import type { Span } from '../../../extension/src/core/model/span';
import { decodeTraceRequestJson } from '../../../extension/src/core/otlp/jsonDecoder';
import { ManualScheduler } from '../../../extension/src/core/store/scheduler';
import { TraceStore } from '../../../extension/src/core/store/traceStore';
import { jsonErrorOffset } from '../../../extension/src/storage/jsonErrorOffset';
import { OtlpFileError, readOtlpJsonFile } from '../../../extension/src/storage/otlpJsonFileReader';
import { otlpJsonLine } from '../../../extension/src/storage/otlpJsonLinesWriter';
import { allRunsOldestFirst, exportSpans, spansOfRun } from '../../../extension/src/storage/spanExporter';
import { agentDemoJson } from '../otlp/fixtures';
import { assertBatchEqualsJson } from '../otlp/otlpJsonExpect';
import { assertSameSpans, jsonBatch, pbBatch, retraced, tempDirs } from './storageHelpers';

async function rejection(file: string): Promise<OtlpFileError> {
  try {
    await readOtlpJsonFile(file);
  } catch (err) {
    assert.ok(err instanceof OtlpFileError, String(err));
    return err;
  }
  return assert.fail(`${file} was accepted`);
}

describe('export and import (OTLP/JSON lines)', () => {
  const tmp = tempDirs();

  it('exports a run and imports it back: the same spans, with resource and scope', async () => {
    const dir = tmp.make();
    const store = new TraceStore({ scheduler: new ManualScheduler() });
    store.ingest(pbBatch(), { transport: 'http', path: '/v1/traces' });
    const run = store.runs()[0]!;
    const spans = spansOfRun(store, run);
    assert.equal(spans.length, 28);
    const file = join(dir, 'run.otlp.jsonl');
    const progress: number[] = [];
    const result = await exportSpans(file, [spans], { spansPerLine: 10, onProgress: done => progress.push(done) });
    assert.deepEqual(result, { spans: 28, lines: 3, cancelled: false });
    assert.deepEqual(progress, [10, 20, 28]);
    const read = await readOtlpJsonFile(file);
    assert.equal(read.format, 'lines');
    assert.equal(read.lines, 3);
    assertSameSpans(read.batches.flatMap(b => b.spans), spans);

    const imported = new TraceStore({ scheduler: new ManualScheduler() });
    for (const b of read.batches) imported.ingest(b, { transport: 'file', path: file });
    assert.equal(imported.runs().length, 1);
    assert.equal(imported.runs()[0]!.spanCount, 28);
    assert.equal(imported.runs()[0]!.origin.transport, 'file');
  });

  it('writes what `msgtrace record` writes: one ExportTraceServiceRequest per line, the Collector file-exporter form', async () => {
    const dir = tmp.make();
    const file = join(dir, 'all.jsonl');
    const spans = pbBatch().spans;
    await exportSpans(file, [spans]);
    const text = fs.readFileSync(file, 'utf8');
    // The CLI writes otlpJsonLine(batch.spans) per request (recordCommand.ts uses OtlpJsonLinesWriter).
    assert.equal(text, otlpJsonLine(spans));
    const lines = text.split('\n');
    assert.equal(lines.pop(), '');
    assert.equal(lines.length, 1);
    // Field by field against the capture's own OTLP/JSON (what the Collector would have written).
    assertBatchEqualsJson(decodeTraceRequestJson(lines[0]!).spans, agentDemoJson());
    const line = JSON.parse(lines[0]!) as { resourceSpans: { scopeSpans: { spans: { traceId: string; startTimeUnixNano: unknown; kind: unknown }[] }[] }[] };
    const s = line.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    assert.match(s.traceId, /^[0-9a-f]{32}$/, 'hex ids, not base64');
    assert.equal(typeof s.startTimeUnixNano, 'string', 'int64 as a decimal string');
    assert.equal(typeof s.kind, 'number', 'enums as integers');
  });

  it('exports everything oldest run first, one run per line group, and imports it whole', async () => {
    const dir = tmp.make();
    const store = new TraceStore({ scheduler: new ManualScheduler(), runGapMs: 10 });
    store.ingest(pbBatch(), { transport: 'http', path: '/v1/traces', debugSessionId: 's1' });
    store.ingest(retraced(jsonBatch(), 5), { transport: 'http', path: '/v1/traces', debugSessionId: 's2' });
    const runs = allRunsOldestFirst(store);
    assert.equal(runs.length, 2);
    const file = join(dir, 'all.jsonl');
    const r = await exportSpans(file, runs.map(run => spansOfRun(store, run)));
    assert.equal(r.lines, 2);
    const read = await readOtlpJsonFile(file);
    assertSameSpans(
      read.batches.flatMap(b => b.spans),
      runs.flatMap(run => spansOfRun(store, run)),
    );
  });

  it('cancelling an export deletes the partial file', async () => {
    const dir = tmp.make();
    const file = join(dir, 'x.jsonl');
    let calls = 0;
    const r = await exportSpans(file, [pbBatch().spans], { spansPerLine: 5, isCancelled: () => ++calls > 2 });
    assert.equal(r.cancelled, true);
    assert.equal(fs.existsSync(file), false);
  });

  it('imports one pretty-printed OTLP/JSON document, gzip files, CRLF lines and a BOM', async () => {
    const dir = tmp.make();
    const expected = jsonBatch().spans;
    const pretty = join(dir, 'pretty.json');
    fs.writeFileSync(pretty, JSON.stringify(agentDemoJson(), null, 2));
    const doc = await readOtlpJsonFile(pretty);
    assert.equal(doc.format, 'document');
    assertSameSpans(doc.batches.flatMap(b => b.spans), expected);

    const gz = join(dir, 'lines.jsonl.gz');
    fs.writeFileSync(gz, zlib.gzipSync(otlpJsonLine(expected) + otlpJsonLine(retraced(jsonBatch(), 9).spans)));
    const g = await readOtlpJsonFile(gz);
    assert.equal(g.spans, 56);

    const crlf = join(dir, 'crlf.jsonl');
    fs.writeFileSync(crlf, `\uFEFF${otlpJsonLine(expected).trimEnd()}\r\n\r\n${otlpJsonLine(retraced(jsonBatch(), 3).spans).trimEnd()}\r\n`);
    const c = await readOtlpJsonFile(crlf);
    assert.equal(c.format, 'lines');
    assert.equal(c.lines, 2);
    assert.equal(c.spans, 56);
  });

  it('skips lines of logs or metrics that a Collector file can hold, and counts them', async () => {
    const dir = tmp.make();
    const file = join(dir, 'mixed.jsonl');
    fs.writeFileSync(file, `{"resourceLogs":[]}\n${otlpJsonLine(jsonBatch().spans)}{"resourceMetrics":[]}\n`);
    const r = await readOtlpJsonFile(file);
    assert.equal(r.skippedLines, 2);
    assert.equal(r.spans, 28);
  });

  describe('rejects bad files, naming the line and the problem', () => {
    const good = () => otlpJsonLine(jsonBatch().spans);

    it('invalid JSON on line 3', async () => {
      const file = join(tmp.make(), 'bad.jsonl');
      fs.writeFileSync(file, `${good()}\n{"resourceSpans": [}\n${good()}`);
      const err = await rejection(file);
      assert.equal(err.line, 3);
      assert.match(err.message, /^bad\.jsonl: line 3: invalid JSON: .+/);
    });

    it('a line of the wrong shape', async () => {
      const file = join(tmp.make(), 'shape.jsonl');
      fs.writeFileSync(file, `${good()}{"hello":"world"}\n`);
      const err = await rejection(file);
      assert.equal(err.line, 2);
      assert.match(err.message, /line 2: not an OTLP\/JSON ExportTraceServiceRequest: no "resourceSpans" \(keys: hello\)/);
      fs.writeFileSync(file, `[1,2]\n`);
      assert.match((await rejection(file)).message, /line 1: expected an ExportTraceServiceRequest object, found an array/);
    });

    it('a request the OTLP decoder refuses, with the path inside the request', async () => {
      const file = join(tmp.make(), 'decoder.jsonl');
      const line = JSON.parse(good()) as { resourceSpans: { scopeSpans: { spans: unknown }[] }[] };
      line.resourceSpans[0]!.scopeSpans[0]!.spans = 5;
      fs.writeFileSync(file, `${good()}${good()}${JSON.stringify(line)}\n`);
      const err = await rejection(file);
      assert.equal(err.line, 3);
      assert.match(err.message, /line 3: resourceSpans\[0\]\.scopeSpans\[0\]\.spans: expected an array/);
    });

    it('a pretty-printed document with a syntax error names its line and column', async () => {
      const file = join(tmp.make(), 'pretty.json');
      const lines = JSON.stringify(agentDemoJson(), null, 2).split('\n');
      lines[4] = `${lines[4]} oops`;
      fs.writeFileSync(file, lines.join('\n'));
      const err = await rejection(file);
      assert.equal(err.line, 5);
      assert.match(err.message, /line 5: invalid JSON at column \d+: /);
    });

    it('empty files, files without traces, invalid UTF-8', async () => {
      const dir = tmp.make();
      const empty = join(dir, 'empty.jsonl');
      fs.writeFileSync(empty, '\n\n');
      assert.match((await rejection(empty)).message, /no spans in the file/);
      const logs = join(dir, 'logs.jsonl');
      fs.writeFileSync(logs, '{"resourceLogs":[]}\n');
      assert.match((await rejection(logs)).message, /only logs, metrics or profiles/);
      const bin = join(dir, 'bin.jsonl');
      fs.writeFileSync(bin, Buffer.concat([Buffer.from(good()), Buffer.from([0xff, 0xfe, 0x0a])]));
      assert.match((await rejection(bin)).message, /line 2: not valid UTF-8/);
    });
  });

  it('reads large files in slices, reporting progress, and can be cancelled', async () => {
    const dir = tmp.make();
    const file = join(dir, 'big.jsonl');
    const out = fs.openSync(file, 'w');
    const spans: Span[] = [];
    for (let i = 1; i <= 300; i++) {
      const b = retraced(jsonBatch(), i);
      if (i <= 2) spans.push(...b.spans);
      fs.writeSync(out, otlpJsonLine(b.spans));
    }
    fs.closeSync(out);
    const size = fs.statSync(file).size;
    const seen: number[] = [];
    const r = await readOtlpJsonFile(file, { onProgress: bytes => seen.push(bytes) });
    assert.equal(r.spans, 300 * 28);
    assert.equal(seen.at(-1), size);
    assertSameSpans(r.batches.slice(0, 2).flatMap(b => b.spans), spans);
    const cancelled = await readOtlpJsonFile(file, { isCancelled: () => true });
    assert.equal(cancelled.cancelled, true);
    assert.equal(cancelled.batches.length, 0);
  });
});

describe('jsonErrorOffset', () => {
  it('is -1 for valid JSON and agrees with V8 where V8 gives a position', () => {
    for (const ok of ['{}', '[]', ' {"a":[1,-2.5e3,true,false,null,"x\\u00e9\\n"]} ', '"s"', '0']) assert.equal(jsonErrorOffset(ok), -1, ok);
    for (const bad of ['{"a":1 x}', '{"a":1,}', '[1,,2]', '{"a" 1}', '{"a":1}}', '{"a":', '{"a":"\u0001"}', '[01]', '{"a":tru}', '{a:1}']) {
      let v8: number | undefined;
      try {
        JSON.parse(bad);
        assert.fail(`${bad} parsed`);
      } catch (err) {
        const m = /at position (\d+)/.exec((err as Error).message);
        v8 = m ? Number(m[1]) : undefined;
      }
      const at = jsonErrorOffset(bad);
      assert.ok(at >= 0 && at <= bad.length, `${bad}: ${at}`);
      if (v8 !== undefined) assert.equal(at, v8, bad);
    }
  });
});
