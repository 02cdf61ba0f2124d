// The one HTML shell of the timeline page, for the VS Code webview and for `msgtrace serve`: a strict
// Content-Security-Policy in which scripts run only with this load's nonce. Span data never goes into this
// HTML; it arrives as messages and the page renders it as text.

export interface PageShell {
  /** Fresh per load (crypto-random, base64). */
  readonly nonce: string;
  /** Content-Security-Policy sources beyond `default-src 'none'`, e.g. `style-src …`. */
  readonly csp: readonly string[];
  readonly styleHref: string;
  readonly scriptSrc: string;
  readonly title: string;
}

export function pageHtml(shell: PageShell): string {
  const csp = ["default-src 'none'", ...shell.csp, `script-src 'nonce-${shell.nonce}'`].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(shell.styleHref)}">
<title>${escapeHtml(shell.title)}</title>
</head>
<body>
<div id="app"></div>
<script nonce="${escapeAttribute(shell.nonce)}" src="${escapeAttribute(shell.scriptSrc)}"></script>
</body>
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);
}

/** For double-quoted attribute values: single quotes stay as they are (the CSP needs them literally). */
function escapeAttribute(text: string): string {
  return text.replace(/[&<>"]/g, c => `&#${c.charCodeAt(0)};`);
}
