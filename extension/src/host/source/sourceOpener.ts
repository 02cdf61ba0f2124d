// Opens a span's source location in an editor. Paths in spans come from other programs and other machines:
// a path maps to the workspace file sharing its longest tail; a file outside the workspace opens only when it
// exists (the user asked for it by running the command).
import * as vscode from 'vscode';
import { bestSuffixMatch, fileName } from '../../core/source/pathMapping';
import type { SourceLocation } from '../../core/source/spanLocation';

export async function resolveSourceFile(file: string): Promise<vscode.Uri | undefined> {
  const isAbsolute = file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(file);
  if (isAbsolute && (await exists(vscode.Uri.file(file)))) return vscode.Uri.file(file);
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (!isAbsolute) {
    for (const folder of folders) {
      const candidate = vscode.Uri.joinPath(folder.uri, file);
      if (await exists(candidate)) return candidate;
    }
  }
  const name = fileName(file);
  if (!name || !folders.length) return undefined;
  const found = await vscode.workspace.findFiles(`**/${escapeGlob(name)}`, '**/node_modules/**', 500);
  const best = bestSuffixMatch(file, found.map(u => u.fsPath));
  return best ? found.find(u => u.fsPath === best) : undefined;
}

export async function openSourceLocation(location: SourceLocation): Promise<boolean> {
  const uri = await resolveSourceFile(location.file);
  if (!uri) {
    void vscode.window.showWarningMessage(`msgtrace: ${location.file} is not in this workspace, and no workspace file matches its path.`);
    return false;
  }
  const line = Math.max(0, (location.line ?? 1) - 1);
  await vscode.window.showTextDocument(uri, { selection: new vscode.Range(line, 0, line, 0), preview: true });
  return true;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    return (await vscode.workspace.fs.stat(uri)).type === vscode.FileType.File;
  } catch {
    return false;
  }
}

function escapeGlob(name: string): string {
  return name.replace(/[[\]{}*?!]/g, c => `[${c}]`);
}
