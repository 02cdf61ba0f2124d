// Every message from the webview is untrusted: the page renders text from other programs, and a page that was
// tricked into posting must not get anything the protocol does not offer. A message passes only when its
// method is one of the timeline's commands and its params are exactly what that command's schema describes
// (protocol/timelineProtocol.ts): the bounds live with the message, so there is no second list to keep in step.
import { commandParser } from '../protocol/ipc';
import { TIMELINE_COMMANDS, type TimelineCommand } from '../protocol/timelineProtocol';

/** The message as the host's handlers take it, or undefined when it is not a valid protocol message. */
export const parseWebviewMessage: (message: unknown) => TimelineCommand | undefined = commandParser(TIMELINE_COMMANDS);
