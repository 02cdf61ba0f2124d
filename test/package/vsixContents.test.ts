// The packaged .vsix holds only what the extension needs at run time: the bundles, media, README, LICENSE,
// CHANGELOG and package.json. Run after `npm run package` (npm test does both).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yauzl from 'yauzl';

const root = path.resolve(__dirname, '..', '..', '..');
const vsix = path.join(root, 'msgtrace.vsix');

function listZip(file: string): Promise<{ name: string; size: number }[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      const entries: { name: string; size: number }[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        entries.push({ name: entry.fileName, size: entry.uncompressedSize });
        zip.readEntry();
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

// vsce's own files, then ours (vsce renames README, LICENSE and CHANGELOG).
const allowed: RegExp[] = [
  /^extension\.vsixmanifest$/,
  /^\[Content_Types\]\.xml$/,
  /^extension\/package\.json$/,
  /^extension\/readme\.md$/,
  /^extension\/LICENSE\.txt$/,
  /^extension\/changelog\.md$/,
  /^extension\/extension\/dist\/extension\.js$/,
  /^extension\/media\/[\w-]+\.(svg|png|css)$/,
  /^extension\/media\/dist\/[\w-]+\.(js|css)$/,
];

describe('the .vsix package', () => {
  let entries: { name: string; size: number }[];

  before(async function () {
    assert.ok(fs.existsSync(vsix), `${vsix} is missing: run 'npm run package' first`);
    entries = await listZip(vsix);
  });

  it('holds nothing but the bundles, media, README, LICENSE, CHANGELOG and package.json', () => {
    const unexpected = entries.map(e => e.name).filter(name => !allowed.some(re => re.test(name)));
    assert.deepEqual(unexpected, [], `unexpected files in the .vsix:\n${unexpected.join('\n')}`);
  });

  it('holds what the manifest points at', () => {
    const names = new Set(entries.map(e => e.name));
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string };
    for (const needed of [manifest.main.replace(/^\.\//, ''), 'media/dist/webview.js', 'media/timeline.css', 'media/activity.svg', 'readme.md', 'LICENSE.txt', 'changelog.md']) {
      assert.ok(names.has(`extension/${needed}`), `missing extension/${needed}`);
    }
  });

  it('ships bundles without source maps or test code', () => {
    for (const e of entries) assert.ok(!/\.map$|\.test\.|\/test\/|node_modules/.test(e.name), e.name);
    const bundle = entries.find(e => e.name === 'extension/extension/dist/extension.js')!;
    assert.ok(bundle.size > 0);
  });
});
