// Messages of the timeline webview. The view model grows with the timeline issue; the handshake is fixed:
// the webview says it is ready, and only then does the host send state (a message posted earlier is lost).
import { command, notification } from './ipc';

/** Everything the timeline shows, as one serializable value. */
export interface TimelineState {
  /** What the panel shows above the waterfall: the run's name, or why there is nothing to show. */
  readonly title: string;
  readonly message: string;
}

export const ReadyCommand = command<Record<string, never>>()('webview/ready');
export const DidChangeStateNotification = notification<TimelineState>()('state/didChange');
