import type { IpcMessage } from '../../extension/src/protocol/ipc';

interface VsCodeApi {
  postMessage(message: IpcMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** The webview's only channel to the host: messages of extension/src/protocol. */
export const host: VsCodeApi = acquireVsCodeApi();
