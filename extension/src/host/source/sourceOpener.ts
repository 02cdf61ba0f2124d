// Opens a span's source location in an editor. Paths in spans come from other programs and other machines:
// an explicit mapping (msgtrace.source.pathMappings) applies first, then the path as it is when it lies in the
// workspace, then the workspace file sharing its longest tail. A file outside the workspace opens only when it
// exists and the caller says the user asked for it (a command, not a CodeLens or a diagnostic).
import * as vscode from 'vscode';
import { type PathMapping, applyPathMappings, bestSuffixMatch, fileName } from '../../core/source/pathMapping';

export interface ResolveOptions {
  readonly mappings?: readonly PathMapping[];
  /** The user asked to open this one file: an existing file outside the workspace may open. */
  readonly allowOutsideWorkspace?: boolean;
}

const isAbsolutePath = (file: string) => file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(file);

export async function resolveSourceFile(file: string, options: ResolveOptions = {}): Promise<vscode.Uri | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const mapped = options.mappings?.length ? applyPathMappings(file, options.mappings) : undefined;
  if (mapped !== undefined) {
    for (const candidate of candidatesOf(expandFolderVariable(mapped, folders), folders)) {
      if ((options.allowOutsideWorkspace || inWorkspace(candidate)) && (await exists(candidate))) return candidate;
    }
  }
  const isAbsolute = isAbsolutePath(file);
  if (isAbsolute && inWorkspace(vscode.Uri.file(file)) && (await exists(vscode.Uri.file(file)))) return vscode.Uri.file(file);
  if (!isAbsolute) {
    for (const folder of folders) {
      const candidate = vscode.Uri.joinPath(folder.uri, file);
      if (await exists(candidate)) return candidate;
    }
  }
  const name = fileName(file);
  if (name && folders.length) {
    const found = await vscode.workspace.findFiles(`**/${escapeGlob(name)}`, '**/node_modules/**', 500);
    const best = bestSuffixMatch(file, found.map(u => u.fsPath));
    if (best) return found.find(u => u.fsPath === best);
  }
  if (isAbsolute && options.allowOutsideWorkspace && (await exists(vscode.Uri.file(file)))) return vscode.Uri.file(file);
  return undefined;
}

/** Opens a file at a 1-based line (and 0-based column); the line's first character when none. */
export async function openAt(uri: vscode.Uri, line: number | undefined, column = 0): Promise<vscode.TextEditor> {
  const l = Math.max(0, (line ?? 1) - 1);
  return vscode.window.showTextDocument(uri, { selection: new vscode.Range(l, column, l, column), preview: true });
}

function candidatesOf(path: string, folders: readonly vscode.WorkspaceFolder[]): vscode.Uri[] {
  if (isAbsolutePath(path)) return [vscode.Uri.file(path)];
  return folders.map(f => vscode.Uri.joinPath(f.uri, path));
}

/** `${workspaceFolder}` (the first folder) and `${workspaceFolder:name}` in a mapping's target. */
function expandFolderVariable(path: string, folders: readonly vscode.WorkspaceFolder[]): string {
  return path.replace(/\$\{workspaceFolder(?::([^}]+))?\}/g, (whole, name: string | undefined) => {
    const folder = name ? folders.find(f => f.name === name) : folders[0];
    return folder ? folder.uri.fsPath : whole;
  });
}

function inWorkspace(uri: vscode.Uri): boolean {
  return vscode.workspace.getWorkspaceFolder(uri) !== undefined;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    return ((await vscode.workspace.fs.stat(uri)).type & vscode.FileType.File) !== 0;
  } catch {
    return false;
  }
}

function escapeGlob(name: string): string {
  return name.replace(/[[\]{}*?!]/g, c => `[${c}]`);
}
