// The SDK's cost per traced call: a plain function, the same function instrumented with telemetry disabled, and
// instrumented with telemetry enabled (real provider and BatchSpanProcessor, an exporter that drops everything).
// All three in one interleaved run, so the ratios compare like with like.
import { ExportResultCode } from '@opentelemetry/core';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { Spans, configureMsgtrace, shutdown } from '../../sdk/src/index';
import { type BenchSuite, interleaved, median } from '../harness';

const noopExporter: SpanExporter = {
  export: (_spans, done) => done({ code: ExportResultCode.SUCCESS }),
  shutdown: () => Promise.resolve(),
};

// A small but real body (a string hash), so the comparison is with a function that does something.
function work(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

const INPUT = 'What is the capital of France?';

export const sdkSuite: BenchSuite = {
  name: 'sdk',
  async run({ runs, quick }) {
    const calls = quick ? 50_000 : 1_000_000;
    const spans = quick ? 5_000 : 50_000;
    // One wrapper per mode, as a program runs in one mode; the wrappers still share their compiled code.
    const tracedOff = Spans.instrument(work);
    const tracedOn = Spans.instrument(work);
    let sink = 0;
    const nsPerCall = (n: number, fn: () => void) => {
      const t0 = process.hrtime.bigint();
      fn();
      return Number(process.hrtime.bigint() - t0) / n;
    };
    const r = await interleaved(runs, {
      plain: () => nsPerCall(calls, () => { for (let i = 0; i < calls; i++) sink += work(INPUT); }),
      disabled: async () => {
        await configureMsgtrace({ enabled: false });
        return nsPerCall(calls, () => { for (let i = 0; i < calls; i++) sink += tracedOff(INPUT); });
      },
      enabled: async () => {
        await configureMsgtrace({ enabled: true, spanExporter: noopExporter });
        // Yield every 256 spans so the batch processor exports (and does not drop) as it would in a program.
        const t0 = process.hrtime.bigint();
        for (let done = 0; done < spans; ) {
          for (let i = 0; i < 256; i++, done++) sink += tracedOn(INPUT);
          await new Promise(setImmediate);
        }
        const ns = Number(process.hrtime.bigint() - t0) / spans;
        await shutdown();
        return ns;
      },
    });
    if (sink === 0) throw new Error('nothing ran');
    const plain = 'sdk / plain function';
    return [
      { name: plain, median: median(r.plain!), unit: 'ns/call', runs, better: 'lower' },
      { name: 'sdk / instrumented, telemetry disabled', median: median(r.disabled!), unit: 'ns/call', runs, better: 'lower', baseline: plain, note: 'target <= 1.1x plain' },
      { name: 'sdk / instrumented, enabled, no-op exporter', median: median(r.enabled!), unit: 'ns/call', runs, better: 'lower', baseline: plain, note: 'target <= 2,000 ns/span' },
    ];
  },
};
