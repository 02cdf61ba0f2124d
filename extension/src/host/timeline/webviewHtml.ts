import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/**
 * The HTML shell of a webview: a strict Content-Security-Policy where scripts run only with a fresh nonce,
 * styles and fonts only from the extension's media folder, and no network at all. Span data never goes
 * into this HTML: it arrives by postMessage and the webview renders it as text.
 */
export function webviewHtml(webview: vscode.Webview, mediaRoot: vscode.Uri, opts: { title: string; script: string; style: string }): string {
  const nonce = randomBytes(16).toString('base64');
  const uri = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(mediaRoot, file)).toString();
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${uri(opts.style)}">
<title>${escapeHtml(opts.title)}</title>
</head>
<body>
<div id="app"></div>
<script nonce="${nonce}" src="${uri(opts.script)}"></script>
</body>
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);
}
