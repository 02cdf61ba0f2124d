import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { pageHtml } from '../../timeline/pageHtml';

/**
 * The HTML shell of a webview: a strict Content-Security-Policy where scripts run only with a fresh nonce,
 * styles and fonts only from the extension's media folder, and no network at all. Span data never goes
 * into this HTML: it arrives by postMessage and the webview renders it as text.
 */
export function webviewHtml(webview: vscode.Webview, mediaRoot: vscode.Uri, opts: { title: string; script: string; style: string }): string {
  const nonce = randomBytes(16).toString('base64');
  const uri = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(mediaRoot, file)).toString();
  return pageHtml({
    nonce,
    csp: [`style-src ${webview.cspSource}`, `font-src ${webview.cspSource}`, `img-src ${webview.cspSource} data:`],
    styleHref: uri(opts.style),
    scriptSrc: uri(opts.script),
    title: opts.title,
  });
}
