// Forwarding inside VS Code: msgtrace.forward.endpoint set to an upstream msgtrace receiver started here, a
// header whose value is in the secret storage, spans posted to the extension's receiver: the upstream gets
// the same request bytes, and settings.json holds only "${secret}".
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands, Settings, SettingsSection } from '../../extension/src/host/ids';
import { OtlpReceiver } from '../../extension/src/receiver/otlpReceiver';
import { api, fixtures, until } from './support';

const config = () => vscode.workspace.getConfiguration(SettingsSection);

function post(url: string, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { 'Content-Type': 'application/x-protobuf', 'Content-Length': body.length } }, res => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('forwarding from the extension host (msgtrace.forward.*)', () => {
  const capture = fs.readFileSync(path.join(fixtures, 'msgflux-0.1.0a23-agent-demo.pb'));

  it('sends what the receiver accepts to a second msgtrace receiver, with a header from the secret storage', async () => {
    const { receiver, forward } = await api();
    // The upstream: a msgtrace receiver, behind a plain server that notes the header and passes the body on.
    const upstream = new OtlpReceiver({ httpPort: 0, grpcPort: null });
    const bodies: Buffer[] = [];
    upstream.onDidReceive(r => bodies.push(Buffer.from(r.batch.columns.body)));
    const upstreamPort = (await upstream.start()).http!.port;
    const auth: (string | undefined)[] = [];
    const front = http.createServer((req, res) => {
      auth.push(req.headers.authorization);
      const chunks: Buffer[] = [];
      req.on('data', c => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const out = http.request({ host: '127.0.0.1', port: upstreamPort, path: '/v1/traces', method: 'POST', headers: { 'Content-Type': 'application/x-protobuf', 'Content-Length': body.length } }, up => {
          res.writeHead(up.statusCode ?? 502, { 'Content-Type': 'application/x-protobuf' });
          up.pipe(res);
        });
        out.end(body);
      });
    });
    await new Promise<void>(resolve => front.listen(0, '127.0.0.1', resolve));
    try {
      await vscode.commands.executeCommand(Commands.setForwardHeader, 'Authorization', 'Bearer integration-secret');
      await config().update(Settings.forwardEndpoint, `http://127.0.0.1:${(front.address() as AddressInfo).port}/v1/traces`, vscode.ConfigurationTarget.Global);
      await until('forwarding on', () => forward.status().kind === 'on');
      assert.deepEqual(config().inspect(Settings.forwardHeaders)?.globalValue, { Authorization: '${secret}' }, 'settings.json names the header, the value is a secret');
      for (let i = 0; i < 3; i++) assert.equal(await post(receiver.tracesUrl()!, capture), 200);
      await until('the upstream to get 3 requests', () => bodies.length >= 3);
      assert.deepEqual(bodies, [capture, capture, capture]);
      assert.deepEqual(auth, ['Bearer integration-secret', 'Bearer integration-secret', 'Bearer integration-secret']);
      const status = forward.status();
      assert.ok(status.kind === 'on' && status.stats.sent.requests === 3 && status.stats.state === 'healthy', JSON.stringify(status));
    } finally {
      await config().update(Settings.forwardEndpoint, undefined, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand(Commands.setForwardHeader, 'Authorization', '');
      await until('forwarding off', () => forward.status().kind === 'off');
      front.close();
      await upstream.dispose();
    }
    assert.equal(config().inspect(Settings.forwardHeaders)?.globalValue, undefined);
  });

  it('a header marked ${secret} without a secret stops forwarding and says why', async () => {
    const { forward } = await api();
    await config().update(Settings.forwardHeaders, { 'X-Token': '${secret}' }, vscode.ConfigurationTarget.Global);
    await config().update(Settings.forwardEndpoint, 'http://127.0.0.1:9/v1/traces', vscode.ConfigurationTarget.Global);
    try {
      const status = await until('forwarding refused', () => {
        const s = forward.status();
        return s.kind === 'invalid' && s;
      });
      assert.match(status.message, /X-Token from the secret storage, which holds no value for it: run "msgtrace: Set Forward Header…"/);
    } finally {
      await config().update(Settings.forwardEndpoint, undefined, vscode.ConfigurationTarget.Global);
      await config().update(Settings.forwardHeaders, undefined, vscode.ConfigurationTarget.Global);
      await until('forwarding off', () => forward.status().kind === 'off');
    }
  });
});
