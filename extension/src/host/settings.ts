// Reads the msgtrace.* settings into the typed values the core and the receiver take.
import * as vscode from 'vscode';
import type { TraceSettings } from '../core/env/traceSettings';
import type { RetentionLimits } from '../core/store/retention';
import type { ForwardProtocol } from '../forward/forwardOptions';
import type { ReceiverOptions } from '../receiver/receiverOptions';
import { type BackendConfig, parseBackends } from '../backends/backendConfig';
import { type SettingKey, Settings, SettingsSection } from './ids';

const MiB = 1024 * 1024;

function get<T>(key: SettingKey, fallback: T): T {
  return vscode.workspace.getConfiguration(SettingsSection).get<T>(key, fallback);
}

/** True when a configuration change touches one of these settings. */
export function affects(e: vscode.ConfigurationChangeEvent, ...keys: SettingKey[]): boolean {
  return keys.some(k => e.affectsConfiguration(`${SettingsSection}.${k}`));
}

export function receiverOptions(): Omit<ReceiverOptions, 'logger'> & { autoStart: boolean } {
  const host = get(Settings.receiverHost, '127.0.0.1').trim() || '127.0.0.1';
  return {
    autoStart: get(Settings.receiverAutoStart, true),
    host,
    httpPort: port(get(Settings.receiverHttpPort, 4318)),
    grpcPort: port(get(Settings.receiverGrpcPort, 4317)),
    // Setting a non-loopback host is the explicit choice the receiver asks for; it still warns.
    allowNonLoopback: true,
    maxBodyBytes: Math.round(Math.min(1024, Math.max(1, get(Settings.receiverMaxBodyMiB, 64))) * MiB),
  };
}

function port(value: number): number {
  return Number.isInteger(value) && value >= 0 && value <= 65535 ? value : 0;
}

export function traceSettings(): TraceSettings {
  const ratio = get<number | null>(Settings.samplingRatio, null);
  return {
    serviceName: get(Settings.serviceName, ''),
    samplingRatio: typeof ratio === 'number' ? ratio : undefined,
    capturePlatform: get(Settings.capturePlatform, true),
    maxRetries: get(Settings.maxRetries, 3),
    batchDelayMs: get(Settings.debugBatchDelayMs, 200),
    capture: {
      toolCallResponses: get(Settings.captureToolCallResponses, true),
      agentPrepareModelExecution: get(Settings.captureAgentPrepareModelExecution, false),
      stateDict: get(Settings.captureStateDict, false),
      modelOutput: get(Settings.captureModelOutput, true),
    },
  };
}

export function debugSettings(): { enabled: boolean; types: string[] } {
  return { enabled: get(Settings.debugEnabled, true), types: get(Settings.debugTypes, ['debugpy', 'python', 'node', 'pwa-node']) };
}

export function retentionLimits(): RetentionLimits {
  return {
    maxSpans: Math.max(1000, get(Settings.retentionMaxSpans, 500_000)),
    maxBytes: Math.max(16, get(Settings.retentionMaxMiB, 512)) * MiB,
  };
}

/** Milliseconds between live view updates. */
export function liveUpdateIntervalMs(): number {
  const perSecond = Math.min(60, Math.max(1, get(Settings.liveUpdatesPerSecond, 10)));
  return Math.round(1000 / perSecond);
}

/** msgtrace.forward.*, as set: header values may still be `${secret}` (host/forward/forwardService.ts reads those). */
export function forwardSettings(): { endpoint: string; protocol: ForwardProtocol; headers: Record<string, string>; maxQueueBytes: number } {
  const headers = get<unknown>(Settings.forwardHeaders, {});
  return {
    endpoint: get(Settings.forwardEndpoint, '').trim(),
    // An unknown protocol is passed on: the forwarder's check names it.
    protocol: get<ForwardProtocol>(Settings.forwardProtocol, 'http/protobuf'),
    headers: headers !== null && typeof headers === 'object' && !Array.isArray(headers) ? { ...(headers as Record<string, string>) } : {},
    maxQueueBytes: Math.round(Math.min(1024, Math.max(1, get(Settings.forwardQueueMiB, 64))) * MiB),
  };
}

/** The team backends (msgtrace.backends.*): the valid ones, and what is wrong with the others. */
export function backendSettings(): { backends: BackendConfig[]; problems: string[]; timeWindowMinutes: number; pageSize: number; timeoutMs: number } {
  const { backends, problems } = parseBackends(get<unknown>(Settings.backendsList, []));
  return {
    backends,
    problems,
    timeWindowMinutes: Math.min(60 * 24 * 30, Math.max(1, get(Settings.backendsTimeWindowMinutes, 60))),
    pageSize: Math.round(Math.min(200, Math.max(1, get(Settings.backendsPageSize, 20)))),
    timeoutMs: Math.round(Math.min(600, Math.max(1, get(Settings.backendsTimeoutSeconds, 30))) * 1000),
  };
}
