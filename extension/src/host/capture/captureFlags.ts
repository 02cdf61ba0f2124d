// The capture flags in the sidebar (a Capture view with checkboxes) and in a multi-select quick pick. Both
// write the msgtrace.capture.* settings, so the Settings UI, the view and the quick pick always agree.
import * as vscode from 'vscode';
import { DisposableStore } from '../../core/common/event';
import { CAPTURE_FLAG_VARIABLES, type CaptureFlags } from '../../core/env/traceSettings';
import { Commands, type SettingKey, Settings, SettingsSection, Views } from '../ids';
import { traceSettings } from '../settings';

interface FlagInfo {
  readonly flag: keyof CaptureFlags;
  readonly setting: SettingKey;
  readonly label: string;
  readonly detail: string;
}

const CAPTURE_FLAGS: readonly FlagInfo[] = [
  { flag: 'toolCallResponses', setting: Settings.captureToolCallResponses, label: 'Tool call responses', detail: 'what tools returned' },
  { flag: 'modelOutput', setting: Settings.captureModelOutput, label: 'Model output', detail: 'messages models returned (newer msgflux)' },
  { flag: 'agentPrepareModelExecution', setting: Settings.captureAgentPrepareModelExecution, label: 'Agent state before model calls', detail: 'system prompt, tool schemas, agent state' },
  { flag: 'stateDict', setting: Settings.captureStateDict, label: 'Module state dict', detail: "each module's parameters and buffers" },
];

async function setFlag(info: FlagInfo, on: boolean): Promise<void> {
  await vscode.workspace.getConfiguration(SettingsSection).update(info.setting, on, vscode.ConfigurationTarget.Global);
}

export class CaptureView implements vscode.TreeDataProvider<FlagInfo>, vscode.Disposable {
  private readonly _onDidChangeTreeData = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  private readonly disposables = new DisposableStore();
  readonly view: vscode.TreeView<FlagInfo>;

  constructor() {
    this.view = vscode.window.createTreeView(Views.capture, { treeDataProvider: this, manageCheckboxStateManually: true });
    this.view.description = 'for debug sessions';
    this.disposables.add(this.view);
    this.disposables.add(this._onDidChangeTreeData);
    this.disposables.add(
      this.view.onDidChangeCheckboxState(async e => {
        for (const [info, state] of e.items) await setFlag(info, state === vscode.TreeItemCheckboxState.Checked);
      }),
    );
    this.disposables.add(
      vscode.workspace.onDidChangeConfiguration(e => {
        if (e.affectsConfiguration(`${SettingsSection}.capture`)) this._onDidChangeTreeData.fire();
      }),
    );
    this.disposables.add(vscode.commands.registerCommand(Commands.chooseCaptureFlags, () => chooseCaptureFlags()));
  }

  getTreeItem(info: FlagInfo): vscode.TreeItem {
    const on = traceSettings().capture[info.flag];
    const item = new vscode.TreeItem(info.label);
    item.id = `capture:${info.flag}`;
    item.checkboxState = on ? vscode.TreeItemCheckboxState.Checked : vscode.TreeItemCheckboxState.Unchecked;
    item.description = `captures content`;
    item.tooltip = `${CAPTURE_FLAG_VARIABLES[info.flag]}: records ${info.detail}. Captures content: runs recorded with it may hold prompts, results or state. Applies to debug sessions started from now on (setting msgtrace.${info.setting}).`;
    item.accessibilityInformation = { label: `${info.label}, ${on ? 'on' : 'off'}, captures content` };
    return item;
  }

  getChildren(element?: FlagInfo): FlagInfo[] {
    return element ? [] : [...CAPTURE_FLAGS];
  }

  dispose(): void {
    this.disposables.dispose();
  }
}

/** The multi-select quick pick: the checked flags are on. */
async function chooseCaptureFlags(): Promise<void> {
  const current = traceSettings().capture;
  const picked = await vscode.window.showQuickPick(
    CAPTURE_FLAGS.map(info => ({ label: info.label, description: CAPTURE_FLAG_VARIABLES[info.flag], detail: `Captures content: ${info.detail}`, picked: current[info.flag], info })),
    { title: 'msgtrace: what debug sessions capture', canPickMany: true, placeHolder: 'Checked flags are on for debug sessions started from now on' },
  );
  if (!picked) return;
  for (const info of CAPTURE_FLAGS) {
    const on = picked.some(p => p.info === info);
    if (on !== current[info.flag]) await setFlag(info, on);
  }
}
