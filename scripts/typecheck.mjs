// Type-checks every part of the architecture as its own TypeScript project (tsconfig.json is the solution):
// each part's tsconfig includes only its own folder and references only the parts docs/ARCHITECTURE.md lets it
// import, so an import across a rule is a compile error (TS6307), and core, receiver and protocol are compiled
// without the `vscode` types. `tsc -b` is incremental: the second run checks only what changed.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const t0 = Date.now();
const r = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-b', 'tsconfig.json', '--pretty', 'false', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
console.log(`typecheck: ${r.status === 0 ? 'clean' : 'type errors'} in ${Date.now() - t0} ms`);
process.exit(r.status ?? 1);
