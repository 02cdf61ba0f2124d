// The manifest (package.json) against the code and the conventions of the ecosystem.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Commands, ContextKeys, ExtensionId, Settings, SettingsSection, ViewItems, Views } from '../../extension/src/host/ids';

interface Manifest {
  name: string;
  publisher: string;
  main: string;
  engines: { vscode: string };
  activationEvents?: string[];
  devDependencies: Record<string, string>;
  contributes: {
    commands: { command: string; title: string; category?: string; icon?: string; enablement?: string }[];
    views: Record<string, { id: string; when?: string }[]>;
    viewsContainers: { activitybar: { id: string }[] };
    viewsWelcome: { view: string; contents: string; when?: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    keybindings: { command: string; key: string; when?: string }[];
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

/** One comparison of a `when` clause: `key`, `!key`, `key == value`, `key =~ /regex/`, ... */
interface WhenTerm {
  readonly key: string;
  readonly op?: string;
  readonly value?: string;
}

/** Every `when` (and `enablement`) expression of the manifest. */
function whenClauses(): string[] {
  const c = manifest.contributes;
  return [
    ...Object.values(c.menus).flat().map(m => m.when),
    ...c.keybindings.map(k => k.when),
    ...c.viewsWelcome.map(w => w.when),
    ...Object.values(c.views).flat().map(v => v.when),
    ...c.commands.map(cmd => cmd.enablement),
  ].filter((w): w is string => w !== undefined);
}

/** The terms of a `when` expression; enough of VS Code's grammar for what the manifest writes (no quoted values). */
function whenTerms(expression: string): WhenTerm[] {
  const terms: WhenTerm[] = [];
  // A regex may hold `|` and parentheses: take the `=~` terms out before splitting on the operators.
  const rest = expression.replace(/([\w.:-]+)\s*=~\s*(\/(?:\\.|[^/])*\/[a-z]*)/g, (_, key: string, value: string) => {
    terms.push({ key, op: '=~', value });
    return 'true';
  });
  for (const part of rest.split(/&&|\|\||[()]/)) {
    const m = /^!?\s*([\w.:-]+)(?:\s*(==|!=|<=|>=|<|>|not in|in)\s*(\S+))?$/.exec(part.trim());
    assert.ok(m || /^!?$/.test(part.trim()), `cannot read the when clause term "${part.trim()}" of "${expression}"`);
    if (m) terms.push({ key: m[1]!, op: m[2], value: m[3] });
  }
  return terms;
}

function regexOf(literal: string): RegExp {
  const end = literal.lastIndexOf('/');
  return new RegExp(literal.slice(1, end), literal.slice(end + 1));
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

  it('runs only commands of host/ids.ts from menus, key bindings and welcome views', () => {
    const ours = new Set<string>(Object.values(Commands));
    const c = manifest.contributes;
    const links = c.viewsWelcome.flatMap(w => [...w.contents.matchAll(/\(command:([\w.-]+)/g)].map(m => m[1]!));
    for (const command of [...Object.values(c.menus).flat().map(m => m.command), ...c.keybindings.map(k => k.command), ...links]) {
      assert.ok(ours.has(command), `${command} is not in host/ids.ts Commands`);
    }
  });

  it('reads in its when clauses exactly the context keys of host/ids.ts', () => {
    const read = new Set<string>();
    // `a in b` reads two keys: b names the context key holding the list.
    const keys = whenClauses()
      .flatMap(whenTerms)
      .flatMap(t => (t.op === 'in' || t.op === 'not in' ? [t.key, t.value!] : [t.key]));
    for (const key of keys) {
      if (key.startsWith(`${SettingsSection}.`)) read.add(key);
      else if (key.startsWith(`config.${SettingsSection}.`)) {
        const setting = key.slice(`config.${SettingsSection}.`.length);
        assert.ok((Object.values(Settings) as string[]).includes(setting), `${key} is not a setting of host/ids.ts`);
      }
    }
    assert.deepEqual([...read].sort(), Object.values(ContextKeys).sort());
  });

  it('matches views and tree items by the ids of host/ids.ts', () => {
    const views = new Set<string>(Object.values(Views));
    const items: string[] = Object.values(ViewItems);
    for (const { key, op, value } of whenClauses().flatMap(whenTerms)) {
      if ((key === 'view' || key === 'focusedView') && value !== undefined) assert.ok(views.has(value), `${key} ${op} ${value}: not a view of host/ids.ts`);
      if (key !== 'viewItem' || value === undefined) continue;
      if (op === '=~') assert.ok(items.some(i => regexOf(value).test(i)), `viewItem =~ ${value} matches no ViewItems value`);
      else assert.ok(items.includes(value), `viewItem ${op} ${value}: not a ViewItems value`);
    }
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
