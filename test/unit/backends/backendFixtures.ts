// Answers of Jaeger and Tempo as their documentation and source describe them, written by hand (Jaeger:
// cmd/query/app/apiv3 http_gateway.go and snapshots, model/json/model.go, the v1 structured response; Tempo: the
// HTTP API docs and pkg/tempopb/tempo.proto), plus generated traces of any size in the same formats.
import { RejectionTally } from '../../../extension/src/core/otlp/rejections';
import { JsonTranscoder } from '../../../extension/src/core/otlp/jsonTranscoder';

type Json = Record<string, unknown>;

export const T0_NS = 1795493440000000000n;
export const T0_US = Number(T0_NS / 1000n);

/** The hand-written trace: frontend → checkout (error, with an event) → db, and a link; two services. */
// Not the OTLP specification's example id, which the timeline fixtures use: in one VS Code (the UI checks) the two
// would be one trace, and the store keeps a trace in one run.
export const SHOP_TRACE_ID = '7d3c1a9e5f2b4c6d8e0f1a2b3c4d5e6f';
export const SHOP_ROOT = 'eee19b7ec3c1b173';
export const SHOP_CHECKOUT = 'eee19b7ec3c1b174';
export const SHOP_DB = 'eee19b7ec3c1b175';

const ns = (offsetUs: number) => (T0_NS + BigInt(offsetUs) * 1000n).toString();

export function shopTraceJson(): Json {
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'frontend' } }, { key: 'host.name', value: { stringValue: 'web-1' } }] },
        scopeSpans: [
          {
            scope: { name: 'io.opentelemetry.http', version: '1.2.0' },
            spans: [
              {
                traceId: SHOP_TRACE_ID,
                spanId: SHOP_ROOT,
                parentSpanId: '',
                name: 'GET /checkout',
                kind: 2,
                startTimeUnixNano: ns(0),
                endTimeUnixNano: ns(120_000),
                attributes: [
                  { key: 'http.request.method', value: { stringValue: 'GET' } },
                  { key: 'http.response.status_code', value: { intValue: '500' } },
                ],
                status: { code: 2, message: 'checkout failed' },
              },
            ],
          },
        ],
      },
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }] },
        scopeSpans: [
          {
            scope: { name: 'checkout.app' },
            spans: [
              {
                traceId: SHOP_TRACE_ID,
                spanId: SHOP_CHECKOUT,
                parentSpanId: SHOP_ROOT,
                name: 'place order',
                kind: 1,
                startTimeUnixNano: ns(5_000),
                endTimeUnixNano: ns(110_000),
                attributes: [{ key: 'code.function', value: { stringValue: 'place_order' } }, { key: 'code.filepath', value: { stringValue: '/app/shop/checkout.py' } }, { key: 'code.lineno', value: { intValue: '42' } }],
                events: [
                  {
                    timeUnixNano: ns(100_000),
                    name: 'exception',
                    attributes: [
                      { key: 'exception.type', value: { stringValue: 'ValueError' } },
                      { key: 'exception.message', value: { stringValue: 'no stock' } },
                    ],
                  },
                ],
                links: [{ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', attributes: [] }],
                status: { code: 2, message: 'no stock' },
              },
              {
                traceId: SHOP_TRACE_ID,
                spanId: SHOP_DB,
                parentSpanId: SHOP_CHECKOUT,
                name: 'SELECT stock',
                kind: 3,
                startTimeUnixNano: ns(10_000),
                endTimeUnixNano: ns(30_000),
                attributes: [{ key: 'db.system', value: { stringValue: 'postgresql' } }],
                status: {},
              },
            ],
          },
        ],
      },
    ],
  };
}

/** A generated trace of `n` spans: a 4-ary tree over `services` resources, every 50th span with an event. */
export function bigTraceJson(n: number, traceId = 'a1b2c3d4e5f60718293a4b5c6d7e8f90', services = 4, startUs = 0): Json {
  const groups: Json[][] = Array.from({ length: services }, () => []);
  for (let i = 0; i < n; i++) {
    const spanId = (i + 1).toString(16).padStart(16, '0');
    const parent = i === 0 ? '' : (Math.floor((i - 1) / 4) + 1).toString(16).padStart(16, '0');
    const span: Json = {
      traceId,
      spanId,
      parentSpanId: parent,
      name: i === 0 ? 'agent run' : `step ${i % 37}`,
      kind: i === 0 ? 2 : 1,
      startTimeUnixNano: ns(startUs + i * 10),
      endTimeUnixNano: ns(startUs + i * 10 + 5_000),
      attributes: [
        { key: 'span.type', value: { stringValue: i % 3 === 0 ? 'tool' : 'module' } },
        { key: 'iteration', value: { intValue: String(i) } },
        { key: 'note', value: { stringValue: `work item ${i} of the generated trace` } },
      ],
      status: i % 997 === 5 ? { code: 2, message: 'failed' } : {},
    };
    if (i % 50 === 0) span.events = [{ timeUnixNano: ns(startUs + i * 10 + 1), name: 'checkpoint', attributes: [{ key: 'i', value: { intValue: String(i) } }] }];
    groups[i % services]!.push(span);
  }
  return {
    resourceSpans: groups.map((spans, s) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: `svc-${s}` } }] },
      scopeSpans: [{ scope: { name: 'bench', version: '1.0' }, spans }],
    })),
  };
}

/** OTLP/JSON as protobuf (an ExportTraceServiceRequest, the same bytes as tempopb.Trace), with our own writer. */
export function toProtobuf(request: Json): Uint8Array {
  const steps = new JsonTranscoder(32, new RejectionTally(), 1024).request(request, Infinity);
  for (;;) {
    const next = steps.next();
    if (next.done) return Uint8Array.from(next.value);
  }
}

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

/** Tempo's TraceByIDResponse { Trace trace = 1; TraceByIDMetrics metrics = 2; PartialStatus status = 3; string message = 4 }. */
export function traceByIdResponse(trace: Uint8Array, options: { partial?: boolean; message?: string } = {}): Uint8Array {
  const parts: number[][] = [[0x0a, ...varint(trace.length)]];
  const metrics = [0x08, 0x00]; // a TraceByIDMetrics with its field 1 set to 0
  const out = Buffer.concat([Buffer.from(parts[0]!), Buffer.from(trace), Buffer.from([0x12, metrics.length, ...metrics])]);
  const tail: number[] = [];
  if (options.partial) tail.push(0x18, 0x01);
  if (options.message) {
    const m = Buffer.from(options.message);
    tail.push(0x22, ...varint(m.length), ...m);
  }
  return Buffer.concat([out, Buffer.from(tail)]);
}

/** Jaeger v3's GRPCGatewayWrapper: {"result": TracesData}. */
export const v3Envelope = (traces: Json): string => JSON.stringify({ result: traces });

/** Jaeger v3's GRPCGatewayError. */
export const v3Error = (httpCode: number, message: string): string => JSON.stringify({ error: { httpCode, message } });

/**
 * The shop trace in Jaeger's v1 JSON (model/json): three processes, CHILD_OF and FOLLOWS_FROM references, tags
 * of every type, logs with an `event` field, an `error` tag, a 64-bit trace id as Jaeger writes it (no high half).
 */
export const V1_TRACE_ID = '00000000000000005b8efff798038103';
export function jaegerV1Answer(): Json {
  const traceID = '5b8efff798038103';
  return {
    data: [
      {
        traceID,
        spans: [
          {
            traceID,
            spanID: 'a1',
            flags: 1,
            operationName: 'HTTP GET /dispatch',
            references: [],
            startTime: T0_US,
            duration: 700_000,
            tags: [
              { key: 'span.kind', type: 'string', value: 'server' },
              { key: 'http.status_code', type: 'int64', value: 200 },
              { key: 'sampler.param', type: 'bool', value: true },
              { key: 'internal.span.format', type: 'string', value: 'jaeger' },
            ],
            logs: [{ timestamp: T0_US + 10, fields: [{ key: 'event', type: 'string', value: 'dispatch started' }, { key: 'customer_id', type: 'string', value: '123' }] }],
            processID: 'p1',
            warnings: null,
          },
          {
            traceID,
            spanID: '00000000000000a2',
            operationName: 'FindDriverIDs',
            references: [{ refType: 'CHILD_OF', traceID, spanID: '00000000000000a1' }],
            startTime: T0_US + 100_000,
            duration: 200_000,
            tags: [
              { key: 'span.kind', type: 'string', value: 'client' },
              { key: 'otel.status_code', type: 'string', value: 'ERROR' },
              { key: 'otel.status_description', type: 'string', value: 'redis timeout' },
              { key: 'error', type: 'bool', value: true },
              { key: 'retry.ratio', type: 'float64', value: 0.25 },
              { key: 'payload', type: 'binary', value: Buffer.from('abc').toString('base64') },
              { key: 'otel.scope.name', type: 'string', value: 'redis-client' },
              { key: 'otel.scope.version', type: 'string', value: '2.0' },
            ],
            logs: [{ timestamp: T0_US + 150_000, fields: [{ key: 'level', type: 'string', value: 'error' }, { key: 'message', type: 'string', value: 'timed out' }] }],
            processID: 'p2',
          },
          {
            traceID,
            spanID: '00000000000000a3',
            operationName: 'SendNotification',
            references: [
              { refType: 'FOLLOWS_FROM', traceID, spanID: '00000000000000a1' },
              { refType: 'CHILD_OF', traceID: '0af7651916cd43dd8448eb211c80319c', spanID: 'b7ad6b7169203331' },
            ],
            startTime: T0_US + 650_000,
            duration: 40_000,
            tags: [
              { key: 'span.kind', type: 'string', value: 'producer' },
              { key: 'error', type: 'bool', value: true },
            ],
            processID: 'p3',
          },
        ],
        processes: {
          p1: { serviceName: 'frontend', tags: [{ key: 'hostname', type: 'string', value: 'web-1' }, { key: 'ip', type: 'string', value: '10.0.0.1' }] },
          p2: { serviceName: 'driver', tags: [{ key: 'jaeger.version', type: 'string', value: 'Go-2.30.0' }] },
          p3: { serviceName: 'notifier', tags: [] },
        },
        warnings: null,
      },
    ],
    total: 0,
    limit: 0,
    offset: 0,
    errors: null,
  };
}

/** A Tempo search answer (TraceSearchMetadata, as /api/search returns it). */
export function tempoSearchAnswer(traces: { traceId: string; startUs: number; durationMs?: number; root?: string; service?: string }[]): Json {
  return {
    traces: traces.map(t => ({
      // Tempo writes ids without leading zeros.
      traceID: t.traceId.replace(/^0+/, ''),
      rootServiceName: t.service ?? 'shop',
      rootTraceName: t.root ?? 'GET /',
      startTimeUnixNano: (BigInt(t.startUs) * 1000n).toString(),
      ...(t.durationMs ? { durationMs: t.durationMs } : {}),
    })),
    metrics: { inspectedTraces: traces.length, inspectedBytes: '1024', completedJobs: 1, totalJobs: 1 },
  };
}
