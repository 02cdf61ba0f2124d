// A hover over a definition with spans in the latest run: the latest span's summary. Span text is untrusted
// (it came over the network), so the markdown is not trusted and span values go in as plain text.
import * as vscode from 'vscode';
import { StatusCode } from '../../core/model/span';
import { errorFacts } from '../../core/semantics/errorFacts';
import { modelOf } from '../../core/semantics/genAiFacts';
import { describeStats, spanStats } from '../../core/source/symbolSpans';
import { formatClock, formatDuration, truncate } from '../../core/views/format';
import { Settings, SettingsSection } from '../ids';
import { nameRange } from './spanCodeLens';
import type { LatestRunSpans } from './latestRunSpans';
import type { WorkspaceSymbols } from './workspaceSymbols';

export class SpanHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly latest: LatestRunSpans,
    private readonly symbols: WorkspaceSymbols,
  ) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    if (!vscode.workspace.getConfiguration(SettingsSection).get<boolean>(Settings.sourceCodeLens, true)) return undefined;
    const spans = this.latest.spans;
    if (!spans || spans.isEmpty) return undefined;
    for (const symbol of this.symbols.symbolsOfDocument(document)) {
      if (symbol.line - 1 !== position.line) continue;
      const range = nameRange(symbol);
      if (!range.contains(position)) continue;
      const stats = spanStats(spans.spansOf(symbol, document.uri.path), n => this.latest.tokensOf(n));
      const span = stats?.latest.span;
      if (!stats || !span) continue;
      const md = new vscode.MarkdownString();
      md.isTrusted = false;
      md.supportThemeIcons = false;
      md.appendMarkdown('**msgtrace** latest span: ');
      md.appendText(truncate(span.name, 120));
      md.appendMarkdown('\n\n');
      const facts: string[] = [`${formatDuration(span.durationNanos)} at ${formatClock(span.startMs)}`];
      const model = modelOf(span);
      if (model) facts.push(`model ${model}`);
      const tokens = this.latest.tokensOf(stats.latest);
      if (tokens !== undefined) facts.push(`${tokens} tokens`);
      if (span.statusCode === StatusCode.Error || span.eventCount > 0) {
        const error = errorFacts(span);
        if (error.isError) facts.push(`error: ${truncate([error.type, error.message].filter(Boolean).join(': ') || 'status ERROR', 300)}`);
      } else {
        facts.push(span.statusCode === StatusCode.Ok ? 'status OK' : 'status unset');
      }
      md.appendText(facts.join(' · '));
      md.appendMarkdown('\n\n');
      md.appendText(`in the latest run: ${describeStats(stats)}`);
      return new vscode.Hover(md, range);
    }
    return undefined;
  }
}
