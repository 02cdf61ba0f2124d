import * as assert from 'node:assert/strict';
import { type DEFAULTS, parseBoolean, readCaptureFlags, readConfig, resolveOtlpEndpoint } from '../../../sdk/src/config';
import { type SdkSandbox, sandbox } from './support/sdkEnv';

describe('sdk/config', () => {
  let box: SdkSandbox;
  beforeEach(() => (box = sandbox()));
  afterEach(() => box.restore());

  it('uses the documented defaults when nothing is set', () => {
    assert.deepEqual(readConfig({}), {
      enabled: false,
      exporter: 'console',
      otlpEndpoint: 'http://localhost:4318/v1/traces',
      serviceName: 'msgflux',
      samplingRatio: undefined,
      capturePlatform: true,
      maxRetries: 3,
    });
    assert.deepEqual(readCaptureFlags({}), { toolCallResponses: true, agentPrepareModelExecution: false, stateDict: false });
    assert.deepEqual(box.warnings, []);
  });

  // [variable, raw value, expected field value, warns]
  const table: [string, string, unknown, boolean][] = [
    ['MSGTRACE_TELEMETRY_ENABLED', 'true', true, false],
    ['MSGTRACE_TELEMETRY_ENABLED', 'TRUE', true, false],
    ['MSGTRACE_TELEMETRY_ENABLED', ' Yes ', true, false],
    ['MSGTRACE_TELEMETRY_ENABLED', '1', true, false],
    ['MSGTRACE_TELEMETRY_ENABLED', 'no', false, false],
    ['MSGTRACE_TELEMETRY_ENABLED', '0', false, false],
    ['MSGTRACE_TELEMETRY_ENABLED', 'False', false, false],
    ['MSGTRACE_TELEMETRY_ENABLED', '', false, false],
    ['MSGTRACE_TELEMETRY_ENABLED', 'on', false, true],
    ['MSGTRACE_TELEMETRY_ENABLED', 'y', false, true],
    ['MSGTRACE_EXPORTER', 'otlp', 'otlp', false],
    ['MSGTRACE_EXPORTER', 'OTLP', 'otlp', false],
    ['MSGTRACE_EXPORTER', 'console', 'console', false],
    ['MSGTRACE_EXPORTER', 'grpc', 'console', true],
    ['MSGTRACE_OTLP_ENDPOINT', 'http://127.0.0.1:4318', 'http://127.0.0.1:4318/v1/traces', false],
    ['MSGTRACE_OTLP_ENDPOINT', 'http://127.0.0.1:4318/', 'http://127.0.0.1:4318/v1/traces', false],
    ['MSGTRACE_OTLP_ENDPOINT', 'https://collector.example:443/v1/traces', 'https://collector.example/v1/traces', false],
    ['MSGTRACE_OTLP_ENDPOINT', 'http://localhost:8000/api/v1/traces/export', 'http://localhost:8000/api/v1/traces/export', false],
    ['MSGTRACE_OTLP_ENDPOINT', 'localhost:4318', 'http://localhost:4318/v1/traces', true],
    ['MSGTRACE_OTLP_ENDPOINT', 'not a url', 'http://localhost:4318/v1/traces', true],
    ['MSGTRACE_SERVICE_NAME', 'my-ai-app', 'my-ai-app', false],
    ['MSGTRACE_SERVICE_NAME', '   ', 'msgflux', false],
    ['MSGTRACE_SAMPLING_RATIO', '0.1', 0.1, false],
    ['MSGTRACE_SAMPLING_RATIO', '1.0', 1, false],
    ['MSGTRACE_SAMPLING_RATIO', '0', 0, false],
    ['MSGTRACE_SAMPLING_RATIO', '1.5', undefined, true],
    ['MSGTRACE_SAMPLING_RATIO', 'half', undefined, true],
    ['MSGTRACE_CAPTURE_PLATFORM', 'false', false, false],
    ['MSGTRACE_CAPTURE_PLATFORM', 'NO', false, false],
    ['MSGTRACE_CAPTURE_PLATFORM', 'maybe', true, true],
    ['MSGTRACE_MAX_RETRIES', '0', 0, false],
    ['MSGTRACE_MAX_RETRIES', ' 5 ', 5, false],
    ['MSGTRACE_MAX_RETRIES', '-1', 3, true],
    ['MSGTRACE_MAX_RETRIES', '2.5', 3, true],
  ];
  const field: Record<string, keyof typeof DEFAULTS> = {
    MSGTRACE_TELEMETRY_ENABLED: 'enabled',
    MSGTRACE_EXPORTER: 'exporter',
    MSGTRACE_OTLP_ENDPOINT: 'otlpEndpoint',
    MSGTRACE_SERVICE_NAME: 'serviceName',
    MSGTRACE_SAMPLING_RATIO: 'samplingRatio',
    MSGTRACE_CAPTURE_PLATFORM: 'capturePlatform',
    MSGTRACE_MAX_RETRIES: 'maxRetries',
  };
  for (const [name, raw, expected, warns] of table) {
    it(`${name}=${JSON.stringify(raw)} -> ${JSON.stringify(expected)}${warns ? ' with one warning' : ''}`, () => {
      const env = { [name]: raw };
      const config = readConfig(env);
      assert.deepEqual(config[field[name]!], expected);
      readConfig(env); // a second read must not warn again
      assert.equal(box.warnings.length, warns ? 1 : 0, box.warnings.join('\n'));
      if (warns) assert.match(box.warnings[0]!, new RegExp(name));
    });
  }

  it('reads the capture flags with the same boolean rules', () => {
    const flags = readCaptureFlags({
      MSGFLUX_TELEMETRY_CAPTURE_TOOL_CALL_RESPONSES: 'No',
      MSGFLUX_TELEMETRY_CAPTURE_AGENT_PREPARE_MODEL_EXECUTION: 'YES',
      MSGFLUX_TELEMETRY_CAPTURE_STATE_DICT: 'sure',
    });
    assert.deepEqual(flags, { toolCallResponses: false, agentPrepareModelExecution: true, stateDict: false });
    assert.equal(box.warnings.length, 1);
    assert.match(box.warnings[0]!, /MSGFLUX_TELEMETRY_CAPTURE_STATE_DICT/);
  });

  it('lets options override the environment, and validates them the same way', () => {
    const env = { MSGTRACE_TELEMETRY_ENABLED: 'false', MSGTRACE_SERVICE_NAME: 'from-env', MSGTRACE_EXPORTER: 'otlp' };
    const config = readConfig(env, { enabled: true, serviceName: 'from-options', samplingRatio: 7, otlpEndpoint: 'http://h:1' });
    assert.equal(config.enabled, true);
    assert.equal(config.serviceName, 'from-options');
    assert.equal(config.exporter, 'otlp');
    assert.equal(config.otlpEndpoint, 'http://h:1/v1/traces');
    assert.equal(config.samplingRatio, undefined);
    assert.equal(box.warnings.length, 1);
    assert.match(box.warnings[0]!, /configureMsgtrace: MSGTRACE_SAMPLING_RATIO=7/);
  });

  it('parses booleans and endpoints as documented', () => {
    for (const t of ['true', 'True', 'TRUE', '1', 'yes', 'YES']) assert.equal(parseBoolean(t), true, t);
    for (const f of ['false', 'FALSE', '0', 'no', 'No']) assert.equal(parseBoolean(f), false, f);
    for (const bad of ['', 'y', 't', 'on', '2']) assert.equal(parseBoolean(bad), undefined, bad);
    assert.equal(resolveOtlpEndpoint('http://localhost:4318'), 'http://localhost:4318/v1/traces');
    assert.equal(resolveOtlpEndpoint('http://localhost:4318/custom'), 'http://localhost:4318/custom');
    assert.equal(resolveOtlpEndpoint('ftp://x'), undefined);
  });
});
