import * as assert from 'node:assert/strict';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import * as vscode from 'vscode';
import { Commands } from '../../extension/src/host/ids';
import { api, until } from './support';



describe('receiver in the extension host', () => {
  it('starts on activation, on loopback', async () => {
    const { receiver } = await api();
    await until('the receiver to run', () => receiver.running);
    const url = receiver.httpBaseUrl()!;
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    console.log(`    receiver: ${url} (OTLP/HTTP), gRPC port ${receiver.addresses.grpc?.port}`);
  });

  it('accepts spans from the official OpenTelemetry protobuf exporter and counts them', async () => {
    const { receiver } = await api();
    const before = receiver.stats().spans;
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'integration-test' }),
      spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: receiver.tracesUrl()! }))],
    });
    const tracer = provider.getTracer('integration');
    for (let i = 0; i < 3; i++) tracer.startSpan(`span ${i}`).end();
    await provider.forceFlush();
    await provider.shutdown();
    await until('3 more spans', () => receiver.stats().spans >= before + 3);
    assert.equal(receiver.stats().spans, before + 3);
  });

  it('accepts spans from the official OpenTelemetry gRPC exporter (the bundled grpc-js server)', async () => {
    const { receiver } = await api();
    const before = receiver.stats().spans;
    const grpc = receiver.addresses.grpc!;
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'integration-grpc' }),
      spanProcessors: [new SimpleSpanProcessor(new GrpcExporter({ url: `http://${grpc.host}:${grpc.port}` }))],
    });
    provider.getTracer('integration').startSpan('over grpc').end();
    await provider.forceFlush();
    await provider.shutdown();
    await until('the gRPC span', () => receiver.stats().spans >= before + 1);
  });

  it('copies its endpoint and the shell environment', async () => {
    const { receiver } = await api();
    const url = await vscode.commands.executeCommand<string>(Commands.copyEndpoint);
    assert.equal(url, receiver.tracesUrl());
    const block = await vscode.commands.executeCommand<string>(Commands.copyEnvironment);
    assert.match(block, new RegExp(`^export MSGTRACE_OTLP_ENDPOINT='${url!.replace(/[.]/g, '\\.')}'$`, 'm'));
    assert.match(block, /^export MSGTRACE_TELEMETRY_ENABLED='true'$/m);
  });

  it('stops and starts again from its commands', async () => {
    const { receiver } = await api();
    await vscode.commands.executeCommand(Commands.stopReceiver);
    assert.equal(receiver.running, false);
    await vscode.commands.executeCommand(Commands.startReceiver);
    assert.equal(receiver.running, true);
    const response = await fetch(receiver.tracesUrl()!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(response.status, 200);
  });
});

describe('debug configurations get the tracing environment', () => {
  it('adds a per-session endpoint and the capture flags to a node launch configuration', async () => {
    const { debug, receiver } = await api();
    const folder = vscode.workspace.workspaceFolders?.[0];
    const resolved = await debug.resolveDebugConfigurationWithSubstitutedVariables(folder, {
      type: 'node',
      request: 'launch',
      name: 'Agent',
      program: '/tmp/x.js',
      env: { MSGTRACE_SERVICE_NAME: 'mine' },
    });
    const env = resolved.env as Record<string, string>;
    assert.match(env.MSGTRACE_OTLP_ENDPOINT!, new RegExp(`^${receiver.httpBaseUrl()!.replace(/[.]/g, '\\.')}/session/[\\w-]+/v1/traces$`));
    assert.equal(env.MSGTRACE_SERVICE_NAME, 'mine', 'what the user set wins');
    assert.equal(env.MSGFLUX_TELEMETRY_CAPTURE_TOOL_CALL_RESPONSES, 'true');
    assert.equal(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, env.MSGTRACE_OTLP_ENDPOINT);
  });

  it('leaves a configuration with "msgtrace": false alone', async () => {
    const { debug } = await api();
    const config = { type: 'node', request: 'launch', name: 'Off', program: '/tmp/x.js', msgtrace: false };
    const resolved = await debug.resolveDebugConfigurationWithSubstitutedVariables(undefined, config);
    assert.equal(resolved.env, undefined);
  });
});
