// Code -> spans: above each definition with spans in the latest run, what they did; a click shows them in the
// span explorer. The lens's arguments are span ids, not rows: commands may cross a serialization boundary.
import * as vscode from 'vscode';
import { DisposableStore } from '../../core/common/event';
import { describeStats, spanStats } from '../../core/source/symbolSpans';
import type { SourceSymbol } from '../../core/source/symbolScanner';
import type { RowReader } from '../../core/store/rowReader';
import { SpanFacts } from '../../protocol/spanFacts';
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
  private readonly disposables = new DisposableStore();

  constructor(
    private readonly latest: LatestRunSpans,
    private readonly symbols: WorkspaceSymbols,
  ) {
    this.disposables.add(this._onDidChange);
    this.disposables.add(latest.onDidChange(() => this._onDidChange.fire()));
    this.disposables.add(
      vscode.workspace.onDidChangeConfiguration(e => {
        if (e.affectsConfiguration(`${SettingsSection}.${Settings.sourceCodeLens}`)) this._onDidChange.fire();
      }),
    );
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.getConfiguration(SettingsSection).get<boolean>(Settings.sourceCodeLens, true)) return [];
    const spans = this.latest.spans;
    if (!spans || spans.isEmpty) return [];
    const lenses: vscode.CodeLens[] = [];
    for (const symbol of this.symbols.symbolsOfDocument(document)) {
      const found = spans.spansOf(symbol, document.uri.path);
      const stats = spanStats(found, n => this.latest.tokensOf(n));
      if (!stats) continue;
      const refs: SpanRef[] = found.flatMap(n => (n.span ? [{ traceId: n.span.traceId, spanId: n.span.spanId }] : []));
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
    this.disposables.dispose();
  }
}

export function nameRange(symbol: SourceSymbol): vscode.Range {
  return new vscode.Range(symbol.line - 1, symbol.column, symbol.line - 1, symbol.column + symbol.name.length);
}

/** The rows of the spans a lens refers to that are still stored (placeholders left out). */
export function rowsOf(refs: readonly SpanRef[], rows: RowReader): number[] {
  return refs.map(r => rows.find(r.traceId, r.spanId)).filter(row => row >= 0 && !(rows.facts(row) & SpanFacts.placeholder));
}
