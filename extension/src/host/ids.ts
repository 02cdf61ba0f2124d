// Every contribution id of package.json, in one place, so code and manifest cannot drift apart
// (test/unit/manifest.test.ts checks that each id here is contributed and the other way round).
export const Commands = {
  openTimeline: 'msgtrace.openTimeline',
  showLog: 'msgtrace.showLog',
} as const;
export type CommandId = (typeof Commands)[keyof typeof Commands];

export const Views = {
  container: 'msgtrace',
  spans: 'msgtrace.spans',
} as const;

export const WebviewPanels = {
  timeline: 'msgtrace.timeline',
} as const;

/** Identifier of this extension (publisher.name of package.json). */
export const ExtensionId = 'msgflux.msgtrace-vscode';
