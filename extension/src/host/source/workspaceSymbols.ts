// Definitions in the workspace, by name. Two sources: the workspace symbol providers of installed language
// extensions (any language, but none knows that `nn.Agent("MyAgent")` names an agent, and there may be none at
// all), and our own scan of *.py / *.ts / *.js files (core/source/symbolScanner.ts). The scan builds once, on the
// first lookup, and then follows the file watcher one file at a time; open documents are scanned from their text.
import * as vscode from 'vscode';
import { DisposableStore } from '../../core/common/event';
import { type NameQuery, namesMatch, rankSymbols } from '../../core/source/nameMatching';
import { type IndexedSymbol, SymbolIndex } from '../../core/source/symbolIndex';
import { type SourceSymbol, type SymbolKind, scanLanguageOf, scanSymbols } from '../../core/source/symbolScanner';
import { BuiltinCommands } from '../ids';

const SCAN_GLOB = '**/*.{py,pyi,ts,tsx,mts,cts,js,jsx,mjs,cjs}';
const EXCLUDE_GLOB = '{**/node_modules/**,**/.venv/**,**/venv/**,**/.git/**,**/site-packages/**,**/__pycache__/**,**/.tox/**,**/dist/**,**/out/**,**/*.min.js,**/*.d.ts}';
const MAX_FILES = 5000;
const MAX_FILE_BYTES = 1024 * 1024;
/** Language servers may still be indexing: their answer is worth waiting for only this long. */
const PROVIDER_TIMEOUT_MS = 1500;

export interface WorkspaceSymbol {
  readonly uri: vscode.Uri;
  readonly name: string;
  readonly kind: SymbolKind;
  /** 1-based. */
  readonly line: number;
  readonly column: number;
}

export class WorkspaceSymbols implements vscode.Disposable {
  private readonly index = new SymbolIndex();
  private built: Promise<void> | undefined;
  /** Files changed since they were scanned (URI strings): rescanned before the next lookup. */
  private readonly stale = new Set<string>();
  private readonly documentCache = new WeakMap<vscode.TextDocument, { version: number; symbols: SourceSymbol[] }>();
  private readonly disposables = new DisposableStore();

  constructor(private readonly log?: vscode.LogOutputChannel) {
    const watcher = vscode.workspace.createFileSystemWatcher(SCAN_GLOB);
    const mark = (uri: vscode.Uri) => {
      if (this.built && !/[\\/](?:node_modules|\.venv|site-packages|\.git)[\\/]/.test(uri.path)) this.stale.add(uri.toString());
    };
    this.disposables.add(watcher);
    this.disposables.add(watcher.onDidCreate(mark));
    this.disposables.add(watcher.onDidChange(mark));
    this.disposables.add(watcher.onDidDelete(uri => this.index.delete(uri.toString())));
    this.disposables.add(
      vscode.workspace.onDidChangeTextDocument(e => {
        if (this.index.has(e.document.uri.toString())) this.stale.add(e.document.uri.toString());
      }),
    );
    this.disposables.add(
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.index.clear();
        this.built = undefined;
      }),
    );
  }

  /** The symbols of an open document, scanned from its current text (cached per version). */
  symbolsOfDocument(document: vscode.TextDocument): readonly SourceSymbol[] {
    const language = scanLanguageOf(document.uri.path);
    if (!language) return [];
    const cached = this.documentCache.get(document);
    if (cached?.version === document.version) return cached.symbols;
    const symbols = scanSymbols(document.getText(), language);
    this.documentCache.set(document, { version: document.version, symbols });
    return symbols;
  }

  /** Definitions matching a span's names, best first. */
  async find(query: NameQuery): Promise<WorkspaceSymbol[]> {
    const [scanned, provided] = await Promise.all([this.scanned(), this.fromProviders(query)]);
    const byFile = new Map<string, vscode.Uri>();
    const lookup = (name: string): (IndexedSymbol & { uri: vscode.Uri })[] => {
      const fromScan = scanned.lookup(name).map(s => ({ ...s, uri: uriOf(byFile, s.file) }));
      const fromProviders = provided.filter(p => namesMatch(p.name, name)).map(p => ({ ...p, file: p.uri.toString() }));
      return [...fromProviders, ...fromScan];
    };
    const seen = new Set<string>();
    return rankSymbols(query, lookup)
      .filter(s => {
        const id = `${s.file}:${s.line}`;
        if (seen.has(id)) return false;
        seen.add(id);
        return true;
      })
      .map(s => ({ uri: s.uri, name: s.name, kind: s.kind, line: s.line, column: s.column }));
  }

  private async scanned(): Promise<SymbolIndex> {
    this.built ??= this.build();
    await this.built;
    if (this.stale.size) {
      const files = [...this.stale];
      this.stale.clear();
      await Promise.all(files.map(f => this.scanFile(vscode.Uri.parse(f))));
    }
    return this.index;
  }

  private async build(): Promise<void> {
    const t0 = performance.now();
    const files = await vscode.workspace.findFiles(SCAN_GLOB, EXCLUDE_GLOB, MAX_FILES);
    // A few files at a time: enough to hide the latency of each read without flooding the file system.
    for (let i = 0; i < files.length; i += 32) await Promise.all(files.slice(i, i + 32).map(f => this.scanFile(f)));
    this.log?.info(`source links: scanned ${files.length} files for definitions in ${(performance.now() - t0).toFixed(0)} ms`);
  }

  private async scanFile(uri: vscode.Uri): Promise<void> {
    const key = uri.toString();
    const language = scanLanguageOf(uri.path);
    if (!language) return;
    const open = vscode.workspace.textDocuments.find(d => d.uri.toString() === key);
    if (open) {
      this.index.set(key, this.symbolsOfDocument(open));
      return;
    }
    try {
      const bytes = await vscode.workspace.fs.readFile(uri);
      if (bytes.byteLength > MAX_FILE_BYTES) return this.index.delete(key);
      this.index.set(key, scanSymbols(new TextDecoder().decode(bytes), language));
    } catch {
      this.index.delete(key);
    }
  }

  private async fromProviders(query: NameQuery): Promise<WorkspaceSymbol[]> {
    const ask = async (name: string): Promise<WorkspaceSymbol[]> => {
      // Providers match fuzzily on the name as typed: ask for the compact form (`MyAgent` for `My Agent`).
      const found = await vscode.commands.executeCommand<vscode.SymbolInformation[] | undefined>(BuiltinCommands.executeWorkspaceSymbolProvider, name.replace(/\s+/g, ''));
      const out: WorkspaceSymbol[] = [];
      for (const s of found ?? []) {
        const kind = kindOf(s.kind);
        if (!kind || !namesMatch(s.name, name)) continue;
        const start = s.location.range.start;
        out.push({ uri: s.location.uri, name: s.name, kind, line: start.line + 1, column: start.character });
      }
      return out;
    };
    const timeout = new Promise<WorkspaceSymbol[]>(resolve => setTimeout(() => resolve([]), PROVIDER_TIMEOUT_MS));
    try {
      return await Promise.race([Promise.all(query.names.map(ask)).then(r => r.flat()), timeout]);
    } catch {
      return [];
    }
  }

  dispose(): void {
    this.disposables.dispose();
  }
}

function kindOf(kind: vscode.SymbolKind): SymbolKind | undefined {
  if (kind === vscode.SymbolKind.Class) return 'class';
  if (kind === vscode.SymbolKind.Function) return 'function';
  if (kind === vscode.SymbolKind.Method) return 'method';
  return undefined;
}

function uriOf(cache: Map<string, vscode.Uri>, file: string): vscode.Uri {
  let uri = cache.get(file);
  if (!uri) cache.set(file, (uri = vscode.Uri.parse(file)));
  return uri;
}
