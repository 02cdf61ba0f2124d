// Proves that the import rules of docs/ARCHITECTURE.md bite: for every row of its "Who may import whom" table and
// every entry of the row's "never imports" cell, a copy of the tree gets a file in that part with that import, and
// the tools must refuse it: ESLint (eslint-plugin-boundaries) for every entry, and the TypeScript project
// references as well for an import of another part. The table is parsed, so a rule added there is tested here,
// and a rule dropped from eslint.boundaries.mjs or from a tsconfig's references fails this test.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';

const root = path.resolve(__dirname, '../../..');

/** Each part of the table: its folder and the TypeScript project that compiles it. */
const PARTS: Record<string, { dir: string; project: string }> = {
  core: { dir: 'extension/src/core', project: 'extension/src/core/tsconfig.json' },
  protocol: { dir: 'extension/src/protocol', project: 'extension/src/protocol/tsconfig.json' },
  receiver: { dir: 'extension/src/receiver', project: 'extension/src/receiver/tsconfig.json' },
  storage: { dir: 'extension/src/storage', project: 'extension/src/storage/tsconfig.json' },
  forward: { dir: 'extension/src/forward', project: 'extension/src/forward/tsconfig.json' },
  timeline: { dir: 'extension/src/timeline', project: 'extension/src/timeline/tsconfig.json' },
  cli: { dir: 'extension/src/cli', project: 'extension/src/cli/tsconfig.json' },
  backends: { dir: 'extension/src/backends', project: 'extension/src/backends/tsconfig.json' },
  host: { dir: 'extension/src/host', project: 'extension/tsconfig.json' },
  webview: { dir: 'webview/src', project: 'webview/tsconfig.json' },
  sdk: { dir: 'sdk/src', project: 'sdk/tsconfig.json' },
  unit: { dir: 'test/unit', project: 'test/unit/tsconfig.json' },
};

/** The Node built-ins a fixture tries, in each form an import can take. */
const NODE_IMPORTS = [
  `import * as m from 'node:fs';\nexport const x = m;`,
  `import * as m from 'node:zlib';\nexport const x = m;`,
  `import * as m from 'os';\nexport const x = m;`,
  `import { createHash } from 'crypto';\nexport const x = createHash;`,
  `export async function load(): Promise<unknown> {\n  return import('node:fs');\n}`,
  `export * from 'node:net';`,
];

interface Fixture {
  part: string;
  /** The table entry it breaks, e.g. "core never imports receiver". */
  rule: string;
  /** An import of another part: the TypeScript project references must refuse it too. */
  crossesParts: boolean;
  code: string;
  file?: string;
}

interface Row {
  part: string;
  never: string[];
  /** Parts of which the "may import" cell allows a single file (e.g. core may import `protocol/spanFacts.ts`). */
  fileExceptions: string[];
}

function tableRows(): Row[] {
  const doc = fs.readFileSync(path.join(root, 'docs/ARCHITECTURE.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Who may import whom'));
  const rows: Row[] = [];
  for (const line of section.split('\n')) {
    const cells = line.split('|').map(c => c.trim());
    if (cells.length < 5 || !cells[1].startsWith('`')) continue;
    const folder = /`([^`]+)\/\*\*`/.exec(cells[1])?.[1];
    const part = Object.keys(PARTS).find(p => PARTS[p].dir === folder);
    assert.ok(part, `ARCHITECTURE.md names a part this test does not know: ${cells[1]}`);
    const may = cells[2].split(',').map(t => t.trim().replace(/`/g, ''));
    const fileExceptions = may.filter(t => t.includes('/') && t.split('/')[0] in PARTS).map(t => t.split('/')[0]);
    rows.push({ part, never: cells[3].split(',').map(t => t.trim().replace(/`/g, '')), fileExceptions });
  }
  return rows;
}

/** The first source file of a part, in a stable order (host: one that is not the constants file unit tests may see). */
function fileOf(part: string): string {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of fs.readdirSync(path.join(root, dir)).sort()) {
      const rel = `${dir}/${name}`;
      if (fs.statSync(path.join(root, rel)).isDirectory()) walk(rel);
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts') && !name.endsWith('.test.ts') && rel !== 'extension/src/host/ids.ts') files.push(rel);
    }
  };
  walk(PARTS[part].dir);
  assert.ok(files.length, `no source file in ${PARTS[part].dir}`);
  return files[0];
}

function fixturesOf(row: Row): Fixture[] {
  return row.never.flatMap((entry): Fixture[] => {
    const rule = `${row.part} never imports ${entry}`;
    if (entry === 'vscode') return [{ part: row.part, rule, crossesParts: false, code: `import * as m from 'vscode';\nexport const x = m;` }];
    if (entry === 'other Node built-ins' || entry === 'Node built-ins') {
      return NODE_IMPORTS.map(code => ({ part: row.part, rule, crossesParts: false, code }));
    }
    if (entry in PARTS) {
      const target = fileOf(entry);
      // TypeScript resolves an import into any project reachable through references, also indirectly (cli → timeline
      // → protocol), so only an import of a part outside that reach is a compile error; ESLint catches every one.
      const from = path.posix.join(PARTS[row.part].dir, 'x.ts');
      const spec = path.posix.relative(path.posix.dirname(from), target).replace(/\.ts$/, '');
      return [{ part: row.part, rule, crossesParts: !reachable(row.part).has(entry), code: `import * as m from '${spec.startsWith('.') ? spec : `./${spec}`}';\nexport const x = m;` }];
    }
    throw new Error(`ARCHITECTURE.md says "${rule}", and this test has no fixture for "${entry}"`);
  });
}

/** The parts a part's tsconfig.json references. */
function references(part: string): string[] {
  const project = path.join(root, PARTS[part].project);
  const config = ts.readConfigFile(project, ts.sys.readFile).config as { references?: { path: string }[] };
  return (config.references ?? []).map(ref => {
    const dir = path.relative(root, path.resolve(path.dirname(project), ref.path)).split(path.sep).join('/');
    const target = Object.keys(PARTS).find(q => path.posix.dirname(PARTS[q].project) === dir);
    assert.ok(target, `${PARTS[part].project} references ${ref.path}, which is not a part`);
    return target;
  });
}

/** The parts a part's project reaches through its references, directly or not. */
function reachable(part: string): Set<string> {
  const seen = new Set<string>();
  const visit = (p: string): void => {
    for (const next of references(p)) {
      if (!seen.has(next)) {
        seen.add(next);
        visit(next);
      }
    }
  };
  visit(part);
  return seen;
}

/** A copy of what lint and typecheck read, with node_modules linked, so fixtures never touch the real tree. */
function copyTree(): string {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'msgtrace-rules-'));
  const skip = new Set(['node_modules', 'dist', 'out', 'test-artifacts']);
  for (const entry of ['extension', 'webview', 'sdk', 'test', 'tsconfig.base.json', 'tsconfig.json', 'eslint.config.mjs', 'eslint.boundaries.mjs', 'package.json']) {
    fs.cpSync(path.join(root, entry), path.join(tmp, entry), { recursive: true, filter: src => !skip.has(path.basename(src)) });
  }
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(tmp, 'node_modules'), 'dir');
  return tmp;
}

describe('architecture rules (docs/ARCHITECTURE.md) are enforced by lint and typecheck', function () {
  this.timeout(240_000);
  const rows = tableRows();
  const fixtures = rows.flatMap(fixturesOf);
  let tmp = '';
  const lintErrors = new Map<string, string[]>();
  const typeErrors = new Map<string, number>();
  let fixtureFiles = new Set<string>();

  before(() => {
    tmp = copyTree();
    fixtures.forEach((f, i) => {
      f.file = `${PARTS[f.part].dir}/ruleFixture${i}.ts`;
      fs.writeFileSync(path.join(tmp, f.file), `// ${f.rule}\n${f.code}\n`);
    });
    const files = fixtures.map(f => f.file!);
    fixtureFiles = new Set(files);

    const lint = spawnSync(process.execPath, [path.join(root, 'node_modules/eslint/bin/eslint.js'), '--format', 'json', ...files], {
      cwd: tmp,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    const results = JSON.parse(lint.stdout) as { filePath: string; messages: { ruleId: string | null; message: string }[] }[];
    for (const r of results) {
      const rel = path.relative(tmp, r.filePath).split(path.sep).join('/');
      lintErrors.set(rel, r.messages.filter(m => m.ruleId === 'boundaries/dependencies').map(m => m.message));
    }

    // TypeScript 5.6+ goes on building the projects after one with errors, so one build reports every fixture.
    const projects = [...new Set(fixtures.map(f => PARTS[f.part].project))];
    const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-b', ...projects, '--pretty', 'false'], {
      cwd: tmp,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    // An error about a file outside the project is reported at the first import of it that TypeScript met, which can
    // be in a file another fixture pulled in; the "Imported via … from file …" lines name every importer, so an error
    // counts for each file it names.
    const rel = (file: string): string => path.relative(tmp, path.resolve(tmp, file)).split(path.sep).join('/');
    if (process.env.MSGTRACE_RULES_DUMP) fs.writeFileSync(process.env.MSGTRACE_RULES_DUMP, tsc.stdout);
    let block: Set<string> | undefined;
    const blocks: Set<string>[] = [];
    for (const line of tsc.stdout.split('\n')) {
      const head = /^(.+?\.ts)\(\d+,\d+\): error TS\d+/.exec(line);
      if (head) blocks.push((block = new Set([rel(head[1])])));
      else if (/^\S/.test(line)) block = undefined;
      const via = / from file '(.+?)'/.exec(line);
      if (block && via) block.add(rel(via[1]));
    }
    for (const files of blocks) {
      const involved = [...files].filter(f => fixtureFiles.has(f));
      for (const f of involved) typeErrors.set(f, (typeErrors.get(f) ?? 0) + 1);
    }
  });

  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('the table has a row for every part, each with rules', () => {
    assert.deepEqual(rows.map(r => r.part).sort(), Object.keys(PARTS).sort());
    for (const row of rows) assert.ok(row.never.length > 0, `${row.part} has no "never imports" entries`);
  });

  it('no tsconfig references a part its row says it never imports', () => {
    // A reference to a part of which one file is allowed is needed for that file; ESLint refuses the rest.
    const wrong = rows.flatMap(row =>
      references(row.part)
        .filter(r => row.never.includes(r) && !row.fileExceptions.includes(r))
        .map(r => `${row.part} → ${r}`),
    );
    assert.deepEqual(wrong, []);
  });

  for (const row of rows) {
    it(`${row.part}: ${row.never.join(', ')}`, () => {
      const missed: string[] = [];
      for (const f of fixtures.filter(x => x.part === row.part)) {
        const firstLine = f.code.split('\n')[0];
        if (!lintErrors.get(f.file!)?.length) missed.push(`lint lets through "${f.rule}": ${firstLine}`);
        if (f.crossesParts && !typeErrors.get(f.file!)) missed.push(`typecheck lets through "${f.rule}": ${firstLine}`);
      }
      assert.deepEqual(missed, []);
    });
  }
});
