// Builds every bundle of the project with esbuild.
//   node scripts/build.mjs               extension, webview, CLI and SDK bundles (with sourcemaps)
//   node scripts/build.mjs --production  the same, minified, for the .vsix
//   node scripts/build.mjs --watch       rebuild the bundles on change
//   node scripts/build.mjs --tests       also transpile test/, bench/ and all sources file by file into out/
// Type checking is separate (npm run typecheck): esbuild only strips types, which keeps rebuilds instant.
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const tests = args.has('--tests');

const common = {
  absWorkingDir: root,
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};

/** @type {import('esbuild').BuildOptions[]} */
const bundles = [
  {
    // The extension host bundle: everything but the `vscode` module, which the host provides.
    ...common,
    entryPoints: ['extension/src/extension.ts'],
    outfile: 'extension/dist/extension.js',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // grpc-js loads @grpc/proto-loader only to serve channelz, which the receiver never registers: leaving it
    // out saves 130 KB (with protobufjs parts) of bundle to load at activation.
    external: ['vscode', '@grpc/proto-loader'],
    // protobufjs and grpc-js probe optional modules with require() inside try/catch.
    logOverride: { 'require-resolve-not-external': 'silent' },
  },
  {
    // Browser code of the webviews; talks to the host only through extension/src/protocol.
    ...common,
    entryPoints: ['webview/src/main.ts'],
    outfile: 'media/dist/webview.js',
    platform: 'browser',
    target: 'chrome120',
    format: 'iife',
  },
  {
    // The SDK as a library: its OpenTelemetry dependencies stay external, installed by its users.
    ...common,
    entryPoints: ['sdk/src/index.ts'],
    outfile: 'sdk/dist/index.js',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    minify: false,
  },
];

// The `msgtrace` command line (issue: OTLP receiver) exists once its entry does.
if (existsSync(join(root, 'extension/src/cli/main.ts'))) {
  bundles.push({
    ...common,
    entryPoints: ['extension/src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['@grpc/proto-loader'],
    banner: { js: '#!/usr/bin/env node' },
  });
}

function walk(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(relative(root, p));
  }
  return out;
}

async function buildTests() {
  // File-by-file transpile (no bundling) so mocha loads each test on its own and stack traces map to sources.
  const entryPoints = ['test', 'bench', 'extension/src', 'webview/src', 'sdk/src'].flatMap(d => walk(join(root, d)));
  removeStaleOutput(new Set(entryPoints.map(p => p.replace(/\.ts$/, '.js'))));
  await esbuild.build({
    absWorkingDir: root,
    entryPoints,
    outdir: 'out',
    outbase: '.',
    bundle: false,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // import() of a transpiled file must become require(): the files in out/ are CommonJS without extensions.
    supported: { 'dynamic-import': false },
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  // The benchmarks run bundled, as the extension does: per-file CommonJS reads every imported constant through
  // a getter, which costs the store's hot loops more than the work they measure.
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: ['bench/index.ts'],
    outfile: 'out/bench.js',
    bundle: true,
    packages: 'external',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}

// Drops out/ files whose source is gone (a deleted test must not keep running), without wiping out/ as a whole:
// another test run may be reading it.
function removeStaleOutput(expected) {
  const outDir = join(root, 'out');
  const visit = dir => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) {
        if (name !== 'summaries') visit(p);
      } else if (p.endsWith('.js') && !expected.has(relative(outDir, p))) rmSync(p);
    }
  };
  visit(outDir);
}

function sdkDeclarations() {
  // The SDK is a composite project (tsconfig.json's solution references it): `tsc -b` is incremental, and its
  // build info lives in out/, so --force when sdk/dist lost its declarations while out/ kept the build info.
  const force = existsSync(join(root, 'sdk/dist/index.d.ts')) ? [] : ['--force'];
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-b', 'sdk/tsconfig.json', ...force], {
    cwd: root,
    stdio: 'inherit',
  });
}

const t0 = Date.now();
if (watch) {
  for (const options of bundles) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
  }
  console.log('watching extension, webview, sdk and cli sources; Ctrl+C stops');
} else {
  if (tests) {
    // A test build goes on when one bundle fails (the unit tests do not load the extension or webview
    // bundles); `npm run build`, which npm test also runs, still fails on it. It skips the SDK's .d.ts too:
    // the type-check covers the SDK.
    const results = await Promise.allSettled(bundles.map(options => esbuild.build(options)));
    results.forEach((r, i) => {
      if (r.status === 'rejected') console.error(`bundle ${bundles[i].outfile} failed; tests go on without it`);
    });
    await buildTests();
  } else {
    await Promise.all(bundles.map(options => esbuild.build(options)));
    sdkDeclarations();
  }
  console.log(`built ${bundles.length} bundles${tests ? ' and out/' : ''} in ${Date.now() - t0} ms${production ? ' (production)' : ''}`);
}
