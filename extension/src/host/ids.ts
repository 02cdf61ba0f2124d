// Every id the code shares with package.json (commands, views, settings, context keys, tree item contexts), in one
// place, so code and manifest cannot drift apart (test/unit/manifest.test.ts checks that each id here is contributed
// or read by a `when` clause, and the other way round).
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
  compareWithPrevious: 'msgtrace.compareWithPrevious',
  compareRuns: 'msgtrace.compareRuns',
  /** The disabled menu entry a run without a previous run shows instead: its title says why. */
  compareWithPreviousUnavailable: 'msgtrace.compareWithPreviousUnavailable',
  /** Team backends (host/backends/): the Backends view and its actions. */
  openTraceById: 'msgtrace.openTraceById',
  setBackendHeader: 'msgtrace.setBackendHeader',
  configureBackends: 'msgtrace.configureBackends',
  refreshBackends: 'msgtrace.refreshBackends',
  /** A trace item's click (not in the palette). */
  openRemoteTrace: 'msgtrace.openRemoteTrace',
  /** The "Show more" item of a service's traces (not in the palette). */
  showMoreTraces: 'msgtrace.showMoreTraces',
  setForwardHeader: 'msgtrace.setForwardHeader',
} as const;

export const Views = {
  container: 'msgtrace',
  spans: 'msgtrace.spans',
  capture: 'msgtrace.capture',
  backends: 'msgtrace.backends',
} as const;

/** Context keys the host sets (setContext) and the `when` clauses of package.json read. */
export const ContextKeys = {
  filterActive: 'msgtrace.filterActive',
  receiverRunning: 'msgtrace.receiverRunning',
} as const;

/** The span explorer rows' TreeItem.contextValue, which `viewItem` in `when` clauses matches (only runs and spans have menu entries). */
export const ViewItems = {
  /** A run with a previous run of its launch configuration or service ("Compare with Previous Run" is enabled). */
  run: 'msgtrace.run',
  /** A run without one. */
  firstRun: 'msgtrace.firstRun',
  span: 'msgtrace.span',
  placeholder: 'msgtrace.placeholder',
  more: 'msgtrace.more',
  /** The Backends view's rows. */
  backend: 'msgtrace.backend',
  backendService: 'msgtrace.backendService',
  remoteTrace: 'msgtrace.remoteTrace',
  moreTraces: 'msgtrace.moreTraces',
  backendMessage: 'msgtrace.backendMessage',
} as const;

/** Commands of VS Code itself that the host runs: named here so every command id the code uses is in one file. */
export const BuiltinCommands = {
  setContext: 'setContext',
  openSettings: 'workbench.action.openSettings',
  executeWorkspaceSymbolProvider: 'vscode.executeWorkspaceSymbolProvider',
  /** VS Code generates a `<view id>.focus` command for every view. */
  focusSpans: `${Views.spans}.focus`,
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
  backendsList: 'backends.list',
  backendsTimeWindowMinutes: 'backends.timeWindowMinutes',
  backendsPageSize: 'backends.pageSize',
  backendsTimeoutSeconds: 'backends.timeoutSeconds',
  forwardEndpoint: 'forward.endpoint',
  forwardProtocol: 'forward.protocol',
  forwardHeaders: 'forward.headers',
  forwardQueueMiB: 'forward.queueMiB',
} as const;
export type SettingKey = (typeof Settings)[keyof typeof Settings];

/** The configuration section all settings live under. */
export const SettingsSection = 'msgtrace';

/** Identifier of this extension (publisher.name of package.json). */
export const ExtensionId = 'msgflux.msgtrace-vscode';
