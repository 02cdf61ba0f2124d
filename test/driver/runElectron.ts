// `npm run test:electron`: the same integration suite under @vscode/test-electron, for a desktop with a display
// and internet (it downloads VS Code). It cannot run on the CI machines, which have neither: there
// `npm run test:integration` runs the suite in code-server instead.
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { examplesDir, repoRoot } from './codeServer';

runTests({
  version: process.env.MSGTRACE_VSCODE_VERSION ?? '1.100.0',
  extensionDevelopmentPath: repoRoot,
  extensionTestsPath: path.join(repoRoot, 'out/test/integration/index.js'),
  launchArgs: [examplesDir, '--disable-extensions', '--disable-workspace-trust'],
}).then(
  () => process.exit(0),
  err => {
    console.error('integration tests under @vscode/test-electron failed:', err);
    process.exit(1);
  },
);
