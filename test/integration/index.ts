// extensionTestsPath: VS Code loads this module in the extension host and calls run(). The same entry works
// under code-server (npm run test:integration) and under @vscode/test-electron (npm run test:electron).
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import SummaryReporter from '../support/summaryReporter';

export function run(): Promise<void> {
  process.env.MSGTRACE_TEST_LAYER ??= 'integration';
  console.log(`VS Code ${vscode.version} (${vscode.env.appName}, ${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'} UI, extension host on Node ${process.version})`);
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: SummaryReporter });
  const grep = process.env.MSGTRACE_TEST_GREP;
  if (grep) mocha.grep(grep);
  for (const file of fs.readdirSync(__dirname).sort()) {
    if (file.endsWith('.test.js')) mocha.addFile(path.join(__dirname, file));
  }
  return new Promise((resolve, reject) => {
    mocha.run(failures => (failures ? reject(new Error(`${failures} integration tests failed`)) : resolve()));
  });
}
