// Source links both ways, wired in one place: span -> source (the resolver, used by "Go to Source"), and
// source -> spans (CodeLens, hover, Problems panel), with the command a lens runs.
import * as vscode from 'vscode';
import { StatusCode } from '../../core/model/span';
import { type PathMapping, parsePathMappings } from '../../core/source/pathMapping';
import type { SpanNode } from '../../core/store/spanNode';
import type { TraceStore } from '../../core/store/traceStore';
import { Commands, Settings, SettingsSection, Views } from '../ids';
import type { SpanExplorer } from '../tree/spanExplorer';
import { ErrorDiagnostics } from './errorDiagnostics';
import { LatestRunSpans } from './latestRunSpans';
import { SpanCodeLensProvider, type SpanRef, nodesOf } from './spanCodeLens';
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
  private readonly disposables: vscode.Disposable[];

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
    this.disposables = [
      this.symbols,
      this.latest,
      this.codeLens,
      this.diagnostics,
      vscode.languages.registerCodeLensProvider(SOURCE_SELECTOR, this.codeLens),
      vscode.languages.registerHoverProvider(SOURCE_SELECTOR, new SpanHoverProvider(this.latest, this.symbols)),
      vscode.commands.registerCommand(Commands.showSpansOfDefinition, (refs?: readonly SpanRef[]) => this.reveal(Array.isArray(refs) ? refs : [])),
    ];
  }

  /** "Go to Source" of a span node: false when it has no source (the user is told why). */
  goToSource(node: SpanNode): Promise<boolean> {
    return node.span ? this.resolver.open(node.span, this.store.classOf(node)) : Promise.resolve(false);
  }

  /**
   * Shows a lens's spans in the span explorer: each is revealed (its ancestors expand), and the first failed
   * one, else the latest, ends selected. Returns the selected node.
   */
  private async reveal(refs: readonly SpanRef[]): Promise<SpanNode | undefined> {
    const nodes = nodesOf(refs, (t, s) => this.store.getNode(t, s));
    if (!nodes.length) {
      void vscode.window.showInformationMessage('msgtrace: these spans are no longer stored.');
      return undefined;
    }
    await vscode.commands.executeCommand(`${Views.spans}.focus`);
    // Revealing thousands of rows would expand the whole tree: the first few show where they are.
    for (const node of nodes.slice(0, 20)) await this.explorer.view.reveal(node, { select: false, focus: false, expand: false }).then(undefined, () => undefined);
    const primary = nodes.find(n => n.span!.statusCode === StatusCode.Error) ?? nodes.reduce((a, b) => (b.span!.startMs > a.span!.startMs ? b : a));
    try {
      await this.explorer.view.reveal(primary, { select: true, focus: true, expand: false });
    } catch {
      // A filter may hide the span; the lens still told what it did.
    }
    return primary;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
