// Shared by the storage tests: real decoded spans and a comparison that covers every field of a span, its
// resource and its scope.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SpanBatch } from '../../../extension/src/core/model/batch';
import type { Span } from '../../../extension/src/core/model/span';
import { encodeTraceRequestJson } from '../../../extension/src/core/otlp/jsonEncoder';
import { decodeTraceRequestObject } from '../../../extension/src/core/otlp/jsonDecoder';
import { decodeTraceRequest } from '../../../extension/src/core/otlp/protobufDecoder';
import { agentDemoJson, agentDemoPb } from '../otlp/fixtures';

/** The 28 spans of the recorded msgflux request, decoded from protobuf (they keep their bytes). */
export const pbBatch = (): SpanBatch => decodeTraceRequest(agentDemoPb());
/** The same request decoded from its OTLP/JSON form (no protobuf bytes). */
export const jsonBatch = (): SpanBatch => decodeTraceRequestObject(agentDemoJson());

/** One span with its resource and scope, as one canonical JSON text. */
export const fingerprint = (s: Span): string => encodeTraceRequestJson([s]);

export function assertSameSpans(actual: readonly Span[], expected: readonly Span[], what = 'spans'): void {
  const key = (s: Span) => `${s.traceId}/${s.spanId}`;
  const a = new Map(actual.map(s => [key(s), fingerprint(s)]));
  assert.equal(a.size, actual.length, `${what}: no duplicates`);
  assert.equal(actual.length, expected.length, `${what}: count`);
  for (const s of expected) assert.equal(a.get(key(s)), fingerprint(s), `${what}: ${s.name} ${s.spanId}`);
}

/** A fresh temporary folder per test, removed afterwards. */
export function tempDirs(): { make(): string } {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return {
    make() {
      const d = mkdtempSync(join(tmpdir(), 'msgtrace-storage-'));
      dirs.push(d);
      return d;
    },
  };
}

/** Copies of `batch` whose trace ids are replaced, so many can be journaled without being duplicates. */
export function retraced(batch: SpanBatch, n: number): SpanBatch {
  const hex = n.toString(16).padStart(8, '0');
  const json = JSON.parse(encodeTraceRequestJson(batch.spans)) as { resourceSpans: { scopeSpans: { spans: { traceId: string }[] }[] }[] };
  for (const rs of json.resourceSpans) for (const ss of rs.scopeSpans) for (const s of ss.spans) s.traceId = hex + s.traceId.slice(8);
  return decodeTraceRequestObject(json);
}
