// The timeline webview. Everything it shows comes from the host as a message and is rendered as text:
// span names and attributes come from other programs and are never parsed as HTML.
import { DidChangeStateNotification, ReadyCommand, type TimelineState } from '../../extension/src/protocol/timelineProtocol';
import { host } from './vscodeApi';

const app = document.getElementById('app')!;

function render(state: TimelineState): void {
  const title = document.createElement('h1');
  title.className = 'title';
  title.textContent = state.title;
  const message = document.createElement('p');
  message.className = 'message';
  message.textContent = state.message;
  app.replaceChildren(title, message);
  document.body.dataset.ready = 'true';
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = event.data;
  if (DidChangeStateNotification.is(message)) render(message.params);
});

host.postMessage(ReadyCommand.create({}));
