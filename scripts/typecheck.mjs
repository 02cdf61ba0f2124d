// Type-checks each part of the architecture against its own tsconfig, so a part cannot use types it must not
// know about (core and receiver have no `vscode`, the webview has the DOM and only the protocol from the host).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const projects = [
  'extension/src/core/tsconfig.json',
  'extension/src/receiver/tsconfig.json',
  'extension/src/storage/tsconfig.json',
  'extension/src/timeline/tsconfig.json',
  'extension/src/protocol/tsconfig.json',
  'extension/tsconfig.json',
  'webview/tsconfig.json',
  'tsconfig.json',
];
const tsc = join(root, 'node_modules/typescript/bin/tsc');

function check(project) {
  return new Promise(resolve => {
    const child = spawn(process.execPath, [tsc, '-p', project, '--noEmit', '--pretty', 'false'], { cwd: root });
    let output = '';
    child.stdout.on('data', d => (output += d));
    child.stderr.on('data', d => (output += d));
    child.on('close', code => resolve({ project, code, output }));
  });
}

const t0 = Date.now();
// Two at a time: these machines have two cores.
const results = [];
for (let i = 0; i < projects.length; i += 2) results.push(...(await Promise.all(projects.slice(i, i + 2).map(check))));
// The SDK is checked by its declaration build (scripts/build.mjs), with the same strict options.
results.push(await check('sdk/tsconfig.json'));
let failed = 0;
for (const r of results) {
  if (r.code !== 0) {
    failed++;
    console.error(`type errors in ${r.project}:\n${r.output}`);
  }
}
console.log(`typecheck: ${results.length - failed} of ${results.length} projects clean in ${Date.now() - t0} ms`);
process.exit(failed ? 1 : 0);
