import * as assert from 'node:assert/strict';
import { launchEnvironment, parseEnvFile } from '../../../extension/src/core/env/launchEnvironment';
import { sessionEndpoint, sessionIdFromPath } from '../../../extension/src/core/env/sessionEndpoint';
import { contentCaptureFlagsOn, formatEnvironment, traceEnvironment } from '../../../extension/src/core/env/traceEnvironment';
import { DEFAULT_TRACE_SETTINGS, type TraceSettings } from '../../../extension/src/core/env/traceSettings';

const endpoint = 'http://127.0.0.1:4318/session/s1/v1/traces';
const debugTypes = ['debugpy', 'python', 'node', 'pwa-node'];

describe('core/env: the traced program environment', () => {
  it('sets every variable msgtrace-sdk, msgflux and plain OpenTelemetry read', () => {
    const env = traceEnvironment(DEFAULT_TRACE_SETTINGS, endpoint, 'Run agent');
    assert.deepEqual(env, {
      MSGTRACE_TELEMETRY_ENABLED: 'true',
      MSGTRACE_EXPORTER: 'otlp',
      MSGTRACE_OTLP_ENDPOINT: endpoint,
      MSGTRACE_SERVICE_NAME: 'Run agent',
      MSGTRACE_CAPTURE_PLATFORM: 'true',
      MSGTRACE_MAX_RETRIES: '3',
      MSGFLUX_TELEMETRY_CAPTURE_TOOL_CALL_RESPONSES: 'true',
      MSGFLUX_TELEMETRY_CAPTURE_AGENT_PREPARE_MODEL_EXECUTION: 'false',
      MSGFLUX_TELEMETRY_CAPTURE_STATE_DICT: 'false',
      MSGFLUX_TELEMETRY_CAPTURE_MODEL_OUTPUT: 'true',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: endpoint,
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf',
      OTEL_BSP_SCHEDULE_DELAY: '200',
    });
  });

  it('takes the service name, sampling ratio and flags from settings', () => {
    const settings: TraceSettings = {
      ...DEFAULT_TRACE_SETTINGS,
      serviceName: 'my-agents',
      samplingRatio: 0.25,
      capturePlatform: false,
      maxRetries: 0,
      capture: { toolCallResponses: false, agentPrepareModelExecution: true, stateDict: true, modelOutput: false },
    };
    const env = traceEnvironment(settings, endpoint, 'ignored');
    assert.equal(env.MSGTRACE_SERVICE_NAME, 'my-agents');
    assert.equal(env.MSGTRACE_SAMPLING_RATIO, '0.25');
    assert.equal(env.MSGTRACE_CAPTURE_PLATFORM, 'false');
    assert.equal(env.MSGTRACE_MAX_RETRIES, '0');
    assert.equal(env.MSGFLUX_TELEMETRY_CAPTURE_TOOL_CALL_RESPONSES, 'false');
    assert.equal(env.MSGFLUX_TELEMETRY_CAPTURE_AGENT_PREPARE_MODEL_EXECUTION, 'true');
    assert.equal(env.MSGFLUX_TELEMETRY_CAPTURE_STATE_DICT, 'true');
    assert.equal(env.MSGFLUX_TELEMETRY_CAPTURE_MODEL_OUTPUT, 'false');
    assert.deepEqual(contentCaptureFlagsOn(settings.capture), ['agentPrepareModelExecution', 'stateDict']);
  });

  it('clamps a sampling ratio outside [0, 1] and leaves it unset when not chosen', () => {
    assert.equal(traceEnvironment({ ...DEFAULT_TRACE_SETTINGS, samplingRatio: 7 }, endpoint, 'x').MSGTRACE_SAMPLING_RATIO, '1');
    assert.equal(traceEnvironment({ ...DEFAULT_TRACE_SETTINGS, samplingRatio: -1 }, endpoint, 'x').MSGTRACE_SAMPLING_RATIO, '0');
    assert.ok(!('MSGTRACE_SAMPLING_RATIO' in traceEnvironment(DEFAULT_TRACE_SETTINGS, endpoint, 'x')));
  });

  it('formats the block for a POSIX shell with safe quoting, and for PowerShell and .env files', () => {
    const env = { A: "it's", B: 'x y' };
    assert.equal(formatEnvironment(env), `export A='it'\\''s'\nexport B='x y'`);
    assert.equal(formatEnvironment(env, 'powershell'), `$env:A = 'it''s'\n$env:B = 'x y'`);
    assert.equal(formatEnvironment(env, 'dotenv'), `A=it's\nB=x y`);
  });
});

describe('core/env: session endpoints', () => {
  it('puts the session in the path and reads it back', () => {
    const url = sessionEndpoint('http://127.0.0.1:4318/', 'a1B2-c_3');
    assert.equal(url, 'http://127.0.0.1:4318/session/a1B2-c_3/v1/traces');
    assert.equal(sessionIdFromPath(new URL(url).pathname), 'a1B2-c_3');
  });

  it('finds no session in other paths, and refuses ids that would need escaping', () => {
    for (const path of ['/', '/v1/traces', '/api/v1/traces/export', '/session/', '/session/a b/v1/traces', '/xsession/a/v1/traces']) {
      assert.equal(sessionIdFromPath(path), undefined, path);
    }
    assert.throws(() => sessionEndpoint('http://h:1', '../x'));
  });
});

describe('core/env: launch configurations', () => {
  const traceEnv = traceEnvironment(DEFAULT_TRACE_SETTINGS, endpoint, 'cfg');

  // The Python debugger cannot run on these machines; these tests give debugpy- and python-typed
  // configurations (as VS Code resolves them) to the pure resolution code.
  for (const type of ['debugpy', 'python']) {
    it(`adds the environment to a ${type} launch configuration (Python debugger not run: configuration only)`, () => {
      const decision = launchEnvironment({ type, request: 'launch', name: 'Agent', program: '/w/agent.py', env: { FOO: 'bar' } }, traceEnv, { debugTypes });
      assert.equal(decision.env?.FOO, 'bar');
      assert.equal(decision.env?.MSGTRACE_OTLP_ENDPOINT, endpoint);
      assert.equal(decision.env?.MSGTRACE_TELEMETRY_ENABLED, 'true');
      assert.deepEqual(decision.keptFromUser, []);
    });
  }

  it('keeps what the user set in env and in the envFile', () => {
    const decision = launchEnvironment(
      { type: 'node', request: 'launch', env: { MSGTRACE_SERVICE_NAME: 'mine' } },
      traceEnv,
      { debugTypes, envFileVariables: { OTEL_BSP_SCHEDULE_DELAY: '5000' } },
    );
    assert.equal(decision.env?.MSGTRACE_SERVICE_NAME, 'mine');
    assert.ok(!('OTEL_BSP_SCHEDULE_DELAY' in decision.env!), 'the envFile value must not be overridden by env');
    assert.deepEqual([...decision.keptFromUser].sort(), ['MSGTRACE_SERVICE_NAME', 'OTEL_BSP_SCHEDULE_DELAY']);
  });

  it('leaves opted-out, attach and other-typed configurations alone, saying why', () => {
    assert.match(launchEnvironment({ type: 'node', msgtrace: false }, traceEnv, { debugTypes }).reason!, /"msgtrace": false/);
    assert.match(launchEnvironment({ type: 'debugpy', request: 'attach' }, traceEnv, { debugTypes }).reason!, /attach/);
    assert.match(launchEnvironment({ type: 'go', request: 'launch' }, traceEnv, { debugTypes }).reason!, /msgtrace.debug.types/);
  });

  it('parses .env files as the debug adapters do', () => {
    const vars = parseEnvFile(['# comment', 'A=1', 'export B = two words ', 'C="quoted # not a comment"', "D='single'", 'E=x # trailing', 'bad line', ''].join('\n'));
    assert.deepEqual(vars, { A: '1', B: 'two words', C: 'quoted # not a comment', D: 'single', E: 'x' });
  });
});
