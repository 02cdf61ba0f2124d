// Lint rules, and the import boundaries of docs/ARCHITECTURE.md: each part may only import what the table there
// allows. The per-folder tsconfigs enforce the same rules for types.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeIo = ['http', 'https', 'http2', 'net', 'tls', 'dgram', 'fs', 'fs/promises', 'child_process', 'cluster', 'worker_threads']
  .flatMap(m => [m, `node:${m}`]);

const restrict = (patterns, paths = []) => ({
  'no-restricted-imports': ['error', { paths: paths.map(name => ({ name, message: 'not allowed here: see docs/ARCHITECTURE.md' })), patterns }],
});
const group = (group, message) => ({ group, message });

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', 'out/**', 'test-artifacts/**', '.vscode-test/**', '*.vsix'],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      eqeqeq: ['error', 'smart'],
      'no-console': 'off',
    },
  },
  {
    files: ['extension/src/core/**/*.ts'],
    rules: restrict(
      [
        group(['**/receiver/**', '**/storage/**', '**/timeline/**', '**/host/**', '**/protocol/**', '**/webview/**', '**/sdk/**', '**/cli/**'], 'core imports only core (docs/ARCHITECTURE.md)'),
      ],
      ['vscode', ...nodeIo],
    ),
  },
  {
    files: ['extension/src/receiver/**/*.ts'],
    rules: restrict(
      [group(['**/host/**', '**/protocol/**', '**/webview/**', '**/sdk/**', '**/cli/**'], 'receiver imports core, Node and grpc-js only')],
      ['vscode'],
    ),
  },
  {
    files: ['extension/src/storage/**/*.ts'],
    rules: restrict(
      [group(['**/receiver/**', '**/host/**', '**/protocol/**', '**/webview/**', '**/sdk/**', '**/cli/**'], 'storage imports core and Node only')],
      ['vscode'],
    ),
  },
  {
    files: ['extension/src/cli/**/*.ts'],
    rules: restrict(
      [group(['**/host/**', '**/protocol/**', '**/webview/**', '**/sdk/**'], 'the CLI runs without VS Code')],
      ['vscode'],
    ),
  },
  {
    // The timeline's view model and message handling: shared by the VS Code panel and `msgtrace serve`.
    files: ['extension/src/timeline/**/*.ts'],
    rules: restrict(
      [group(['**/receiver/**', '**/host/**', '**/storage/**', '**/webview/**', '**/sdk/**', '**/cli/**'], 'the timeline session imports core and protocol only: msgtrace serve runs it without VS Code')],
      ['vscode', ...nodeIo],
    ),
  },
  {
    files: ['extension/src/protocol/**/*.ts'],
    rules: restrict(
      [group(['**/receiver/**', '**/host/**', '**/webview/**', '**/sdk/**', '**/cli/**', 'node:*'], 'protocol holds message types and constants only')],
      ['vscode', ...nodeIo],
    ),
  },
  {
    files: ['extension/src/host/**/*.ts', 'extension/src/extension.ts'],
    rules: restrict([group(['**/webview/**', '**/sdk/**'], 'the host never imports webview or SDK code')]),
  },
  {
    files: ['webview/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: restrict(
      [
        group(['**/core/**', '**/receiver/**', '**/host/**', '**/cli/**', '**/sdk/**', 'node:*'], 'the webview talks to the host only through extension/src/protocol'),
      ],
      ['vscode', ...nodeIo],
    ),
  },
  {
    files: ['sdk/**/*.ts'],
    rules: restrict([group(['**/extension/**', '**/webview/**'], 'the SDK is its own package')], ['vscode']),
  },
  {
    files: ['test/unit/**/*.ts'],
    // host/ids.ts holds contribution ids only (no vscode import): the manifest test compares them with package.json.
    rules: restrict([group(['**/host/**', '!**/host/ids'], 'unit tests run without VS Code')], ['vscode']),
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { ...globals.node } },
  },
);
