// The Problems panel: each exception of the latest run at its innermost user frame, mapped to a workspace file.
// Only workspace files get diagnostics (nothing outside the workspace opens by itself), and they go when the
// run is cleared or a newer run takes its place.
import * as vscode from 'vscode';
import { DisposableStore } from '../../core/common/event';
import { StatusCode } from '../../core/model/span';
import { errorFacts } from '../../core/semantics/errorFacts';
import { innermostUserFrame, isLibraryFrame } from '../../core/semantics/stackFrames';
import type { PathMapping } from '../../core/source/pathMapping';
import type { TraceStore } from '../../core/store/traceStore';
import { SpanFacts } from '../../protocol/spanFacts';
import { Settings, SettingsSection } from '../ids';
import type { LatestRunSpans } from './latestRunSpans';
import { resolveSourceFile } from './sourceOpener';

/** A run with thousands of failures would flood the panel and the file lookups: the first ones say enough. */
const MAX_DIAGNOSTICS = 500;

export class ErrorDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('msgtrace');
  private generation = 0;
  private readonly disposables = new DisposableStore();

  constructor(
    private readonly store: TraceStore,
    private readonly latest: LatestRunSpans,
    private readonly mappings: () => readonly PathMapping[],
  ) {
    this.disposables.add(this.collection);
    this.disposables.add(latest.onDidChange(() => this.refresh()));
    this.disposables.add(
      vscode.workspace.onDidChangeConfiguration(e => {
        if (e.affectsConfiguration(`${SettingsSection}.${Settings.sourceProblems}`) || e.affectsConfiguration(`${SettingsSection}.${Settings.sourcePathMappings}`)) this.refresh();
      }),
    );
    this.refresh();
  }

  refresh(): void {
    const generation = ++this.generation;
    const run = this.latest.run;
    if (!run || run.errorCount === 0 || !vscode.workspace.getConfiguration(SettingsSection).get<boolean>(Settings.sourceProblems, true)) {
      this.collection.clear();
      return;
    }
    void this.compute().then(
      byFile => {
        if (generation !== this.generation) return;
        this.collection.clear();
        for (const [uri, list] of byFile) this.collection.set(vscode.Uri.parse(uri), list);
      },
      () => undefined,
    );
  }

  private async compute(): Promise<Map<string, vscode.Diagnostic[]>> {
    const run = this.latest.run;
    const byFile = new Map<string, vscode.Diagnostic[]>();
    if (!run) return byFile;
    const seen = new Set<string>();
    const files = new Map<string, Promise<vscode.Uri | undefined>>();
    let count = 0;
    for (const row of this.store.flatten(run).rows) {
      // Only spans with an error status or events can hold an exception: the row's facts say, nothing decoded.
      if (!(this.store.rows.facts(row) & (SpanFacts.error | SpanFacts.hasEvents))) continue;
      const span = this.store.rows.span(row);
      if (!span || (span.statusCode !== StatusCode.Error && span.eventCount === 0)) continue;
      const facts = errorFacts(span);
      if (!facts.isError) continue;
      for (const exception of facts.exceptions) {
        const frame = innermostUserFrame(exception.stack);
        if (!frame || isLibraryFrame(frame)) continue;
        const text = [exception.type, exception.message].filter(Boolean).join(': ') || facts.message || 'error';
        // One failure often ends several nested spans: one diagnostic per place and message.
        const key = `${frame.file}:${frame.line}:${text}`;
        if (seen.has(key)) continue;
        seen.add(key);
        let file = files.get(frame.file);
        if (!file) files.set(frame.file, (file = resolveSourceFile(frame.file, { mappings: this.mappings(), allowOutsideWorkspace: false })));
        const uri = await file;
        if (!uri) continue;
        const line = frame.line - 1;
        const start = frame.column !== undefined ? frame.column - 1 : 0;
        const diagnostic = new vscode.Diagnostic(new vscode.Range(line, start, line, Number.MAX_SAFE_INTEGER), `${text} (span "${span.name}")`, vscode.DiagnosticSeverity.Error);
        diagnostic.source = 'msgtrace';
        const list = byFile.get(uri.toString()) ?? [];
        list.push(diagnostic);
        byFile.set(uri.toString(), list);
        if (++count >= MAX_DIAGNOSTICS) return byFile;
      }
    }
    return byFile;
  }

  dispose(): void {
    this.generation++;
    this.disposables.dispose();
  }
}
