import * as vscode from 'vscode';

/**
 * The span explorer. Until the trace store exists it has no items, and the view shows its welcome
 * content (package.json viewsWelcome), which tells the user how to get spans here.
 */
export class SpanTreeProvider implements vscode.TreeDataProvider<never>, vscode.Disposable {
  private readonly onDidChangeTreeDataEmitter = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.onDidChangeTreeDataEmitter.event;

  getTreeItem(element: never): vscode.TreeItem {
    return element;
  }

  getChildren(): never[] {
    return [];
  }

  dispose(): void {
    this.onDidChangeTreeDataEmitter.dispose();
  }
}
