// The manifest (package.json) against the code and the conventions of the ecosystem.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Commands, ExtensionId, Settings, SettingsSection, Views } from '../../extension/src/host/ids';

interface Manifest {
  name: string;
  publisher: string;
  main: string;
  engines: { vscode: string };
  activationEvents?: string[];
  devDependencies: Record<string, string>;
  contributes: {
    commands: { command: string; title: string; category?: string; icon?: string }[];
    views: Record<string, { id: string }[]>;
    viewsContainers: { activitybar: { id: string }[] };
    configuration: { title: string; properties: Record<string, { description?: string; markdownDescription?: string }> }[];
  };
}

const root = path.resolve(__dirname, '..', '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;
/** The VS Code the integration tests run against (scripts/install-vscode-env.sh). */
const testedVsCode = '1.139.1';

function versionTuple(v: string): number[] {
  return v.replace(/^[\^~>=]+/, '').split('.').map(Number);
}

describe('package.json manifest', () => {
  it('names the extension as the code does', () => {
    assert.equal(`${manifest.publisher}.${manifest.name}`, ExtensionId);
  });

  it('never activates on "*" or at startup', () => {
    for (const e of manifest.activationEvents ?? []) assert.ok(e !== '*' && e !== 'onStartupFinished', e);
  });

  it(`requires no VS Code newer than the one tested (${testedVsCode}), and @types/vscode matches engines`, () => {
    const engine = versionTuple(manifest.engines.vscode);
    const tested = versionTuple(testedVsCode);
    const cmp = engine.map((n, i) => n - tested[i]!).find(d => d !== 0) ?? 0;
    assert.ok(cmp <= 0, `engines.vscode ${manifest.engines.vscode} is newer than ${testedVsCode}`);
    assert.deepEqual(versionTuple(manifest.devDependencies['@types/vscode']!).slice(0, 2), engine.slice(0, 2));
  });

  it('contributes exactly the commands of host/ids.ts, all under the msgtrace category', () => {
    const contributed = manifest.contributes.commands.map(c => c.command).sort();
    assert.deepEqual(contributed, Object.values(Commands).sort());
    for (const c of manifest.contributes.commands) assert.equal(c.category, 'msgtrace', `${c.command} has no msgtrace category`);
  });

  it('contributes the views of host/ids.ts in the msgtrace container', () => {
    assert.ok(manifest.contributes.viewsContainers.activitybar.some(c => c.id === Views.container));
    const views = (manifest.contributes.views[Views.container] ?? []).map(v => v.id);
    assert.ok(views.includes(Views.spans));
  });

  it('gives every setting a msgtrace. name and a description', () => {
    for (const [key, setting] of manifest.contributes.configuration.flatMap(c => Object.entries(c.properties))) {
      assert.ok(key.startsWith('msgtrace.'), key);
      assert.ok(setting.description || setting.markdownDescription, `${key} has no description`);
    }
  });

  it('contributes exactly the settings of host/ids.ts', () => {
    const contributed = manifest.contributes.configuration.flatMap(c => Object.keys(c.properties)).sort();
    assert.deepEqual(contributed, Object.values(Settings).map(k => `${SettingsSection}.${k}`).sort());
  });

  it('points main at the extension bundle', () => {
    assert.equal(manifest.main, './extension/dist/extension.js');
  });
});
