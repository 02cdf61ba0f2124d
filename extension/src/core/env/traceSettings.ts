// What the user chose in the msgtrace.* settings that shapes a traced program's environment. The host reads
// the settings into this value; everything downstream is pure.

/** The MSGFLUX_TELEMETRY_CAPTURE_* switches (docs/msgflux-wire.md#capture-flags). */
export interface CaptureFlags {
  /** Tool results on tool spans (`gen_ai.tool.response`). Captures content. */
  readonly toolCallResponses: boolean;
  /** Agent state, system prompt and tool schemas before each model call. Captures content. */
  readonly agentPrepareModelExecution: boolean;
  /** The module's state dict on the root span (`module.state_dict`). Captures content. */
  readonly stateDict: boolean;
  /** Model output messages on model spans (`gen_ai.output.messages`, newer msgflux). Captures content. */
  readonly modelOutput: boolean;
}

/** msgflux's defaults (docs/msgflux-wire.md#capture-flags). */
export const DEFAULT_CAPTURE_FLAGS: CaptureFlags = {
  toolCallResponses: true,
  agentPrepareModelExecution: false,
  stateDict: false,
  modelOutput: true,
};

/** Each flag's environment variable. All four capture content: prompts, results or state. */
export const CAPTURE_FLAG_VARIABLES: Readonly<Record<keyof CaptureFlags, string>> = {
  toolCallResponses: 'MSGFLUX_TELEMETRY_CAPTURE_TOOL_CALL_RESPONSES',
  agentPrepareModelExecution: 'MSGFLUX_TELEMETRY_CAPTURE_AGENT_PREPARE_MODEL_EXECUTION',
  stateDict: 'MSGFLUX_TELEMETRY_CAPTURE_STATE_DICT',
  modelOutput: 'MSGFLUX_TELEMETRY_CAPTURE_MODEL_OUTPUT',
};

export interface TraceSettings {
  /** MSGTRACE_SERVICE_NAME; '' means: the name of the launch configuration. */
  readonly serviceName: string;
  /** MSGTRACE_SAMPLING_RATIO in [0, 1]; undefined records every trace. */
  readonly samplingRatio: number | undefined;
  readonly capturePlatform: boolean;
  readonly maxRetries: number;
  readonly capture: CaptureFlags;
  /** OTEL_BSP_SCHEDULE_DELAY in ms: how long finished spans wait in the program before they are sent. */
  readonly batchDelayMs: number;
}

export const DEFAULT_TRACE_SETTINGS: TraceSettings = {
  serviceName: '',
  samplingRatio: undefined,
  capturePlatform: true,
  maxRetries: 3,
  capture: DEFAULT_CAPTURE_FLAGS,
  batchDelayMs: 200,
};
