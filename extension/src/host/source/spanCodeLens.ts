// Code -> spans: above each definition with spans in the latest run, what they did; a click shows them in the
// span explorer. The lens's arguments are span ids, not nodes: commands may cross a serialization boundary.
import * as vscode from 'vscode';
import { describeStats, spanStats } from '../../core/source/symbolSpans';
import type { SourceSymbol } from '../../core/source/symbolScanner';
import type { SpanNode } from '../../core/store/spanNode';
import { Commands, Settings, SettingsSection } from '../ids';
import type { LatestRunSpans } from './latestRunSpans';
import type { WorkspaceSymbols } from './workspaceSymbols';

export interface SpanRef {
  readonly traceId: string;
  readonly spanId: string;
}

export class SpanCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly _onDidChange = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this._onDidChange.event;
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly latest: LatestRunSpans,
    private readonly symbols: WorkspaceSymbols,
  ) {
    this.disposables = [
      this._onDidChange,
      latest.onDidChange(() => this._onDidChange.fire()),
      vscode.workspace.onDidChangeConfiguration(e => {
        if (e.affectsConfiguration(`${SettingsSection}.${Settings.sourceCodeLens}`)) this._onDidChange.fire();
      }),
    ];
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.getConfiguration(SettingsSection).get<boolean>(Settings.sourceCodeLens, true)) return [];
    const spans = this.latest.spans;
    if (!spans || spans.isEmpty) return [];
    const lenses: vscode.CodeLens[] = [];
    for (const symbol of this.symbols.symbolsOfDocument(document)) {
      const nodes = spans.spansOf(symbol, document.uri.path);
      const stats = spanStats(nodes, n => this.latest.tokensOf(n));
      if (!stats) continue;
      const refs: SpanRef[] = nodes.map(n => ({ traceId: n.traceId, spanId: n.spanId }));
      lenses.push(
        new vscode.CodeLens(nameRange(symbol), {
          title: `msgtrace: ${describeStats(stats)}`,
          tooltip: `Show these spans of the latest run in the span explorer`,
          command: Commands.showSpansOfDefinition,
          arguments: [refs],
        }),
      );
    }
    return lenses;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

export function nameRange(symbol: SourceSymbol): vscode.Range {
  return new vscode.Range(symbol.line - 1, symbol.column, symbol.line - 1, symbol.column + symbol.name.length);
}

/** The nodes a lens refers to that are still stored. */
export function nodesOf(refs: readonly SpanRef[], getNode: (traceId: string, spanId: string) => SpanNode | undefined): SpanNode[] {
  return refs.map(r => getNode(r.traceId, r.spanId)).filter((n): n is SpanNode => n?.span !== undefined);
}
