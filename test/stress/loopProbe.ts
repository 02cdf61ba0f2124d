// Preloaded into a `msgtrace` child process (`node -r out/test/stress/loopProbe.js dist/cli.js …`) by the stress
// suite: measures that process's own event loop and memory without anything in the CLI knowing. Over the IPC
// channel it answers 'reset' (start a new measurement window) and 'report' (what the window saw).
import { readFileSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface ProbeReport {
  /** Longest event-loop stall in the window, ms (the histogram's max, or the longest gap of a 5 ms timer). */
  readonly maxStallMs: number;
  /**
   * Peak RSS in the window, bytes: the kernel's high-water mark (VmHWM, reset when the window opens) where Linux
   * has it, else the highest of samples every 20 ms. Not getrusage's maxrss: Linux carries the parent's RSS at
   * fork into a spawned child's maxrss, so a child of a large test process reported the parent's size.
   */
  readonly peakRssBytes: number;
  readonly rssBytes: number;
  /** CPU time used since the process started, ms. */
  readonly cpuMs: number;
}

if (process.send) {
  const highWaterMark = (): number => {
    try {
      const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
      return m ? Number(m[1]) * 1024 : 0;
    } catch {
      return 0;
    }
  };
  const resetHighWaterMark = () => {
    try {
      writeFileSync('/proc/self/clear_refs', '5');
    } catch {
      // Not Linux: the samples alone.
    }
  };
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  let maxGap = 0;
  let last = performance.now();
  let peakRss = process.memoryUsage.rss();
  resetHighWaterMark();
  setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
  }, 5).unref();
  setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20).unref();
  const report = (): ProbeReport => {
    const rss = process.memoryUsage.rss();
    const cpu = process.cpuUsage();
    return {
      maxStallMs: Math.max(histogram.max / 1e6, maxGap - 5),
      peakRssBytes: Math.max(peakRss, rss, highWaterMark()),
      rssBytes: rss,
      cpuMs: (cpu.user + cpu.system) / 1000,
    };
  };
  process.on('message', (message: unknown) => {
    if (message === 'reset') {
      histogram.reset();
      maxGap = 0;
      last = performance.now();
      peakRss = process.memoryUsage.rss();
      resetHighWaterMark();
    }
    process.send!({ probe: message, report: report() });
  });
  // The channel must not keep the CLI alive after its command returns.
  process.channel?.unref();
}
