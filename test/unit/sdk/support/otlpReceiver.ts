// A loopback OTLP/HTTP receiver for the SDK tests: records every request the real exporter sends, decodes its
// OTLP/JSON body into flat span records, and answers with scripted status codes (e.g. 503 then 200).
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Value = string | number | boolean | Value[] | undefined;

export interface ReceivedSpan {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  attributes: Record<string, Value>;
  status: { code: number; message?: string };
  events: { name: string; attributes: Record<string, Value> }[];
  resource: Record<string, Value>;
  scope: { name: string; version?: string };
}

export interface ReceivedRequest {
  method: string;
  path: string;
  contentType: string | undefined;
  status: number;
  spans: ReceivedSpan[];
}

interface JsonAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number;
  arrayValue?: { values?: JsonAnyValue[] };
}
interface JsonKeyValue {
  key: string;
  value: JsonAnyValue;
}

function decodeValue(v: JsonAnyValue): Value {
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.arrayValue !== undefined) return (v.arrayValue.values ?? []).map(decodeValue);
  return undefined;
}

function decodeAttributes(list: JsonKeyValue[] | undefined): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const kv of list ?? []) out[kv.key] = decodeValue(kv.value);
  return out;
}

interface JsonRequest {
  resourceSpans?: {
    resource?: { attributes?: JsonKeyValue[] };
    scopeSpans?: {
      scope?: { name: string; version?: string };
      spans?: {
        name: string;
        kind: number;
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        attributes?: JsonKeyValue[];
        status?: { code?: number; message?: string };
        events?: { name: string; attributes?: JsonKeyValue[] }[];
      }[];
    }[];
  }[];
}

export function decodeRequest(body: string): ReceivedSpan[] {
  const request = JSON.parse(body) as JsonRequest;
  const spans: ReceivedSpan[] = [];
  for (const rs of request.resourceSpans ?? []) {
    const resource = decodeAttributes(rs.resource?.attributes);
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        spans.push({
          name: s.name,
          kind: s.kind,
          traceId: s.traceId,
          spanId: s.spanId,
          parentSpanId: s.parentSpanId || undefined,
          attributes: decodeAttributes(s.attributes),
          status: { code: s.status?.code ?? 0, ...(s.status?.message ? { message: s.status.message } : {}) },
          events: (s.events ?? []).map(e => ({ name: e.name, attributes: decodeAttributes(e.attributes) })),
          resource,
          scope: ss.scope ?? { name: '' },
        });
      }
    }
  }
  return spans;
}

export class OtlpReceiver {
  readonly requests: ReceivedRequest[] = [];
  /** Status codes for the next requests, in order; 200 once exhausted. */
  readonly script: number[] = [];
  private readonly server = http.createServer((req, res) => this.handle(req, res));

  static async start(): Promise<OtlpReceiver> {
    const receiver = new OtlpReceiver();
    await new Promise<void>(resolve => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Spans of the accepted (2xx) requests. */
  get spans(): ReceivedSpan[] {
    return this.requests.filter(r => r.status < 300).flatMap(r => r.spans);
  }

  async waitForSpans(count: number, timeoutMillis = 5000): Promise<ReceivedSpan[]> {
    const deadline = Date.now() + timeoutMillis;
    while (this.spans.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} spans, received ${this.spans.length}`);
      await new Promise(r => setTimeout(r, 10));
    }
    return this.spans;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = this.script.shift() ?? 200;
      const body = Buffer.concat(chunks).toString('utf8');
      this.requests.push({ method: req.method ?? '', path: req.url ?? '', contentType: req.headers['content-type'], status, spans: decodeRequest(body) });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end('{}');
    });
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise(resolve => this.server.close(() => resolve()));
  }
}

/** Finds one span by name; fails the test with the names that did arrive. */
export function byName(spans: readonly ReceivedSpan[], name: string): ReceivedSpan {
  const found = spans.filter(s => s.name === name);
  if (found.length !== 1) throw new Error(`expected one span "${name}", found ${found.length} among ${spans.map(s => s.name).join(', ')}`);
  return found[0]!;
}
