// Every contribution id of package.json, in one place, so code and manifest cannot drift apart
// (test/unit/manifest.test.ts checks that each id here is contributed and the other way round).
// No `vscode` import: unit tests read this file.
export const Commands = {
  openTimeline: 'msgtrace.openTimeline',
  showLog: 'msgtrace.showLog',
  startReceiver: 'msgtrace.startReceiver',
  stopReceiver: 'msgtrace.stopReceiver',
  restartReceiver: 'msgtrace.restartReceiver',
  copyEndpoint: 'msgtrace.copyEndpoint',
  copyEnvironment: 'msgtrace.copyEnvironment',
  showMore: 'msgtrace.showMore',
  openInTimeline: 'msgtrace.openInTimeline',
  goToSource: 'msgtrace.goToSource',
  copySpanId: 'msgtrace.copySpanId',
  copyTraceId: 'msgtrace.copyTraceId',
  copyAttributes: 'msgtrace.copyAttributes',
  exportRun: 'msgtrace.exportRun',
  exportAll: 'msgtrace.exportAll',
  importFile: 'msgtrace.importFile',
  deleteRun: 'msgtrace.deleteRun',
  clearAll: 'msgtrace.clearAll',
  filter: 'msgtrace.filter',
  clearFilter: 'msgtrace.clearFilter',
  chooseCaptureFlags: 'msgtrace.chooseCaptureFlags',
  showSpansOfDefinition: 'msgtrace.showSpansOfDefinition',
} as const;
export type CommandId = (typeof Commands)[keyof typeof Commands];

export const Views = {
  container: 'msgtrace',
  spans: 'msgtrace.spans',
  capture: 'msgtrace.capture',
} as const;

export const WebviewPanels = {
  timeline: 'msgtrace.timeline',
} as const;

/** Setting keys (contributes.configuration), without the `msgtrace.` section prefix. */
export const Settings = {
  receiverAutoStart: 'receiver.autoStart',
  receiverHost: 'receiver.host',
  receiverHttpPort: 'receiver.httpPort',
  receiverGrpcPort: 'receiver.grpcPort',
  receiverMaxBodyMiB: 'receiver.maxBodyMiB',
  debugEnabled: 'debug.enabled',
  debugTypes: 'debug.types',
  debugBatchDelayMs: 'debug.batchDelayMs',
  serviceName: 'serviceName',
  samplingRatio: 'samplingRatio',
  capturePlatform: 'capturePlatform',
  maxRetries: 'maxRetries',
  terminalInjectEnvironment: 'terminal.injectEnvironment',
  captureToolCallResponses: 'capture.toolCallResponses',
  captureAgentPrepareModelExecution: 'capture.agentPrepareModelExecution',
  captureStateDict: 'capture.stateDict',
  captureModelOutput: 'capture.modelOutput',
  retentionMaxSpans: 'retention.maxSpans',
  retentionMaxMiB: 'retention.maxMiB',
  retentionJournalMiB: 'retention.journalMiB',
  liveUpdatesPerSecond: 'live.updatesPerSecond',
  sourceCodeLens: 'source.codeLens',
  sourceProblems: 'source.problems',
  sourcePathMappings: 'source.pathMappings',
} as const;
export type SettingKey = (typeof Settings)[keyof typeof Settings];

/** The configuration section all settings live under. */
export const SettingsSection = 'msgtrace';

/** Identifier of this extension (publisher.name of package.json). */
export const ExtensionId = 'msgflux.msgtrace-vscode';
