// Which files the timeline may open. A span's `code.file.path` and its stack frames come from another program,
// so the timeline opens only files that exist inside a folder of the open workspace.
import * as path from 'node:path';
import * as vscode from 'vscode';

/** Resolves a path a span names to a file the editor may open, or undefined to refuse. */
export type SourceResolver = (file: string) => Promise<vscode.Uri | undefined>;

/** Whether `candidate` (absolute, normalized) lies inside `folder`. */
export function isInside(folder: string, candidate: string): boolean {
  const rel = path.relative(folder, candidate);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** Absolute paths must lie in a workspace folder; relative ones are tried against each folder. The file must exist. */
export const workspaceSourceResolver: SourceResolver = async file => {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const local = folders.filter(f => f.uri.scheme === 'file').map(f => path.resolve(f.uri.fsPath));
  const candidates = path.isAbsolute(file) ? [path.resolve(file)] : local.map(f => path.resolve(f, file));
  for (const candidate of candidates) {
    if (!local.some(f => isInside(f, candidate))) continue;
    try {
      const uri = vscode.Uri.file(candidate);
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.type & vscode.FileType.File) return uri;
    } catch {
      // Missing: try the next folder.
    }
  }
  return undefined;
};
