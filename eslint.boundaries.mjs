// The import rules of docs/ARCHITECTURE.md as allow-lists: each part names the parts, Node built-ins and npm
// packages it may import; everything else is an error (eslint-plugin-boundaries, `default: 'disallow'`).
// Static imports, `export … from`, `import()` and `require()` are all checked. TypeScript project references
// (tsconfig.json) enforce the part-to-part rules a second time, as compile errors.
import boundaries from 'eslint-plugin-boundaries';

// First match wins: the narrower patterns come first.
const elements = [
  { type: 'core', pattern: 'extension/src/core/**', partialMatch: false },
  { type: 'protocol', pattern: 'extension/src/protocol/**', partialMatch: false },
  { type: 'receiver', pattern: 'extension/src/receiver/**', partialMatch: false },
  { type: 'storage', pattern: 'extension/src/storage/**', partialMatch: false },
  { type: 'forward', pattern: 'extension/src/forward/**', partialMatch: false },
  { type: 'timeline', pattern: 'extension/src/timeline/**', partialMatch: false },
  { type: 'cli', pattern: 'extension/src/cli/**', partialMatch: false },
  { type: 'backends', pattern: 'extension/src/backends/**', partialMatch: false },
  // The composition root (extension/src/extension.ts) is matched by its folder: element patterns name folders.
  { type: 'host', pattern: ['extension/src/host/**', 'extension/src'], partialMatch: false },
  { type: 'webview', pattern: 'webview/src/**', partialMatch: false },
  { type: 'sdk', pattern: 'sdk/src/**', partialMatch: false },
  { type: 'unit', pattern: 'test/unit/**', partialMatch: false },
  { type: 'tests', pattern: ['test/**', 'bench/**', 'scripts/**'], partialMatch: false },
];

/** Node built-ins that compute and do no I/O: the only ones core may import. */
const nodeComputeOnly = ['node:buffer'];

const parts = (...types) => ({ element: { type: types } });
const builtins = (source = '**') => ({ module: { origin: 'core', source } });
const packages = (...source) => ({ module: { origin: 'external', source } });
const allow = (from, ...to) => ({ from: { element: { type: from } }, allow: { to } });

const policies = [
  // The one vocabulary of span facts lives in protocol/ (the page may import nothing else); core writes it.
  // `diff` (jsdiff): the text diffs of compared runs (core/compare/textDiff.ts); it computes and does no I/O.
  allow('core', parts('core'), builtins(nodeComputeOnly), packages('diff'), { file: { path: 'extension/src/protocol/spanFacts.ts' } }),
  // Protocol files are imported by the webview: they may hold types, constants and the pure codec of their own
  // messages, and import nothing outside protocol/, so the webview never pulls host code through them.
  allow('protocol', parts('protocol')),
  allow('receiver', parts('core', 'receiver'), builtins(), packages('@grpc/grpc-js')),
  allow('storage', parts('core', 'storage'), builtins()),
  // The tee to a team backend: OTLP/HTTP through node:http(s), OTLP/gRPC through grpc-js.
  allow('forward', parts('core', 'forward'), builtins(), packages('@grpc/grpc-js')),
  allow('timeline', parts('core', 'protocol', 'timeline')),
  allow('cli', parts('core', 'receiver', 'storage', 'forward', 'timeline', 'cli'), builtins(), packages('ws')),
  // Clients of team backends (Jaeger, Tempo): HTTP through Node's own fetch, answers decoded by core.
  allow('backends', parts('core', 'backends'), builtins()),
  allow('host', parts('core', 'receiver', 'storage', 'forward', 'timeline', 'protocol', 'backends', 'host'), builtins(), packages('vscode', '@grpc/grpc-js')),
  allow('webview', parts('webview', 'protocol')),
  allow('sdk', parts('sdk'), builtins(), packages('@opentelemetry/*')),
  allow(
    'unit',
    parts('core', 'protocol', 'receiver', 'storage', 'forward', 'timeline', 'cli', 'backends', 'webview', 'sdk', 'unit'),
    // Of the host, only the contribution ids (constants, no `vscode` import): the manifest test compares them
    // with package.json. Fixtures shared with the browser tests.
    { file: { path: ['extension/src/host/ids.ts', 'test/fixtures/**', 'test/browser/timelineFixtures.ts'] } },
    builtins(),
    { module: { origin: 'external', source: '!vscode' } },
  ),
  allow('tests', { element: { type: '*' } }, builtins(), packages('**')),
];

export const architectureRules = {
  files: ['extension/src/**/*.ts', 'webview/src/**/*.ts', 'sdk/src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
  plugins: { boundaries },
  settings: {
    'boundaries/elements': elements,
    'boundaries/dependency-nodes': ['import', 'export', 'dynamic-import', 'require'],
    'boundaries/include': ['extension/src/**', 'webview/src/**', 'sdk/src/**', 'test/**', 'bench/**', 'scripts/**'],
    'import/resolver': { node: { extensions: ['.ts', '.js', '.mjs'] } },
  },
  rules: {
    // checkAllOrigins: Node built-ins and npm packages are checked too; checkUnknownLocals: so is a file outside
    // every part.
    'boundaries/dependencies': ['error', { default: 'disallow', checkAllOrigins: true, checkUnknownLocals: true, policies, message: 'not allowed here: see docs/ARCHITECTURE.md, "Who may import whom"' }],
  },
};
