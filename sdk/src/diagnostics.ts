// Where the SDK reports its own problems. The traced program must never see an exception from us, so every
// problem (bad environment value, failed export) becomes one line on stderr, once per distinct cause.

export type WarningSink = (message: string) => void;

const toStderr: WarningSink = message => {
  process.stderr.write(`[msgtrace] ${message}\n`);
};

let sink: WarningSink = toStderr;
const reported = new Set<string>();

/** Reports `message` unless a warning with the same `key` was already reported in this process. */
export function warnOnce(key: string, message: string): void {
  if (reported.has(key)) return;
  reported.add(key);
  try {
    sink(message);
  } catch {
    // A broken sink (closed stderr) must not reach the traced program.
  }
}

/** Replaces the sink and forgets what was reported; returns a function restoring the previous state. For tests. */
export function setWarningSink(next: WarningSink | undefined): () => void {
  const previous = sink;
  const previousReported = new Set(reported);
  sink = next ?? toStderr;
  reported.clear();
  return () => {
    sink = previous;
    reported.clear();
    for (const key of previousReported) reported.add(key);
  };
}
