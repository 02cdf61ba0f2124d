// Source links both ways, wired in one place: span -> source (the resolver, used by "Go to Source"), and
// source -> spans (CodeLens, hover, Problems panel), with the command a lens runs.
import * as vscode from 'vscode';
import { DisposableStore } from '../../core/common/event';
import { StatusCode } from '../../core/model/span';
import { type PathMapping, parsePathMappings } from '../../core/source/pathMapping';
import type { TraceStore } from '../../core/store/traceStore';
import { BuiltinCommands, Commands, Settings, SettingsSection } from '../ids';
import type { SpanExplorer } from '../tree/spanExplorer';
import type { SpanItem } from '../tree/spanTreeProvider';
import { ErrorDiagnostics } from './errorDiagnostics';
import { LatestRunSpans } from './latestRunSpans';
import { SpanCodeLensProvider, type SpanRef, rowsOf } from './spanCodeLens';
import { SpanHoverProvider } from './spanHover';
import { SpanSourceResolver } from './spanSourceResolver';
import { WorkspaceSymbols } from './workspaceSymbols';

/** The files the scanner reads; other languages get no lens (their spans still open through symbol providers). */
const SOURCE_SELECTOR: vscode.DocumentSelector = { scheme: 'file', pattern: '**/*.{py,pyi,ts,tsx,mts,cts,js,jsx,mjs,cjs}' };

export class SourceLinks implements vscode.Disposable {
  readonly symbols: WorkspaceSymbols;
  readonly resolver: SpanSourceResolver;
  readonly latest: LatestRunSpans;
  readonly codeLens: SpanCodeLensProvider;
  readonly diagnostics: ErrorDiagnostics;
  private readonly disposables = new DisposableStore();

  constructor(
    private readonly store: TraceStore,
    private readonly explorer: SpanExplorer,
    log?: vscode.LogOutputChannel,
  ) {
    const mappings = (): readonly PathMapping[] => parsePathMappings(vscode.workspace.getConfiguration(SettingsSection).get(Settings.sourcePathMappings));
    this.symbols = new WorkspaceSymbols(log);
    this.resolver = new SpanSourceResolver(this.symbols, mappings);
    this.latest = new LatestRunSpans(store);
    this.codeLens = new SpanCodeLensProvider(this.latest, this.symbols);
    this.diagnostics = new ErrorDiagnostics(store, this.latest, mappings);
    this.disposables.add(this.symbols);
    this.disposables.add(this.latest);
    this.disposables.add(this.codeLens);
    this.disposables.add(this.diagnostics);
    this.disposables.add(vscode.languages.registerCodeLensProvider(SOURCE_SELECTOR, this.codeLens));
    this.disposables.add(vscode.languages.registerHoverProvider(SOURCE_SELECTOR, new SpanHoverProvider(this.latest, this.symbols)));
    this.disposables.add(vscode.commands.registerCommand(Commands.showSpansOfDefinition, (refs?: readonly SpanRef[]) => this.reveal(Array.isArray(refs) ? refs : [])));
  }

  /** "Go to Source" of a stored span (its row): false when it has no source (the user is told why). */
  goToSource(row: number): Promise<boolean> {
    const span = this.store.rows.span(row);
    return span ? this.resolver.open(span, this.store.classOf(row)) : Promise.resolve(false);
  }

  /**
   * Shows a lens's spans in the span explorer: each is revealed (its ancestors expand), and the first failed
   * one, else the latest, ends selected. Returns the selected item.
   */
  private async reveal(refs: readonly SpanRef[]): Promise<SpanItem | undefined> {
    const rows = rowsOf(refs, this.store.rows);
    if (!rows.length) {
      void vscode.window.showInformationMessage('msgtrace: these spans are no longer stored.');
      return undefined;
    }
    await vscode.commands.executeCommand(BuiltinCommands.focusSpans);
    // Revealing thousands of rows would expand the whole tree: the first few show where they are.
    for (const row of rows.slice(0, 20)) await this.explorer.reveal(row, { select: false, focus: false, expand: false }).then(undefined, () => undefined);
    const r = this.store.rows;
    const primary = rows.find(row => r.status(row) === StatusCode.Error) ?? rows.reduce((a, b) => (r.ms(b) > r.ms(a) ? b : a));
    try {
      await this.explorer.reveal(primary, { select: true, focus: true, expand: false });
    } catch {
      // A filter may hide the span; the lens still told what it did.
    }
    return this.explorer.provider.elementOf(primary);
  }

  dispose(): void {
    this.disposables.dispose();
  }
}
