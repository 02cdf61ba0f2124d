// Span -> source: the location the span names (mapped to a workspace file), else the definition its name comes
// from (core/source/spanSource.ts gives the order, WorkspaceSymbols the definitions).
import * as vscode from 'vscode';
import type { Span } from '../../core/model/span';
import type { SpanClass } from '../../core/semantics/spanClass';
import type { PathMapping } from '../../core/source/pathMapping';
import { spanSourceTarget } from '../../core/source/spanSource';
import type { SourceLocation } from '../../core/source/spanLocation';
import { openAt, resolveSourceFile } from './sourceOpener';
import type { WorkspaceSymbols } from './workspaceSymbols';

export interface ResolvedSource {
  readonly uri: vscode.Uri;
  /** 1-based. */
  readonly line: number;
  /** 0-based. */
  readonly column: number;
  readonly from: SourceLocation['from'] | 'name';
}

export class SpanSourceResolver {
  constructor(
    private readonly symbols: WorkspaceSymbols,
    private readonly mappings: () => readonly PathMapping[],
  ) {}

  /**
   * Where a span's code is. `userAsked`: the user chose this span (a command), so an existing file outside the
   * workspace may be the answer.
   */
  async resolve(span: Span, cls: SpanClass, userAsked = false): Promise<ResolvedSource | undefined> {
    const target = spanSourceTarget(span, cls);
    if (!target) return undefined;
    const { location, query } = target;
    if (location) {
      const uri = await resolveSourceFile(location.file, { mappings: this.mappings(), allowOutsideWorkspace: userAsked });
      if (uri) {
        const line = location.line ?? (await this.lineOfFunction(uri, location.function));
        return { uri, line: line ?? 1, column: 0, from: location.from };
      }
    }
    if (query) {
      const [best] = await this.symbols.find(query);
      if (best) return { uri: best.uri, line: best.line, column: best.column, from: 'name' };
    }
    return undefined;
  }

  /** Opens the span's source; false (after telling the user why) when there is none. */
  async open(span: Span, cls: SpanClass): Promise<boolean> {
    const found = await this.resolve(span, cls, true);
    if (!found) {
      const target = spanSourceTarget(span, cls);
      void vscode.window.showInformationMessage(
        target?.location
          ? `msgtrace: ${target.location.file} is not in this workspace, and no workspace file matches its path (msgtrace.source.pathMappings maps paths).`
          : target?.query
            ? `msgtrace: no definition named like "${span.name}" in this workspace.`
            : `msgtrace: "${span.name}" carries no source location (no code.* attributes, no exception stack, no msgflux name).`,
      );
      return false;
    }
    await openAt(found.uri, found.line, found.column);
    return true;
  }

  /** A location with a function but no line: the function's definition in that file. */
  private async lineOfFunction(uri: vscode.Uri, fn: string | undefined): Promise<number | undefined> {
    const name = fn?.split(/[.:]+/).pop();
    if (!name) return undefined;
    try {
      const document = await vscode.workspace.openTextDocument(uri);
      return this.symbols.symbolsOfDocument(document).find(s => s.name === name && s.kind !== 'agent' && s.kind !== 'span')?.line;
    } catch {
      return undefined;
    }
  }
}
