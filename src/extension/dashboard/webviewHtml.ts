// The dashboard webview's HTML: strict CSP with a per-load nonce, the bundle and its CSS through
// webview URIs, nothing inline. No `vscode` import, so tests can build the same page outside VS Code.

export interface WebviewHtmlParts {
  /** `webview.cspSource`. */
  cspSource: string;
  /** `asWebviewUri(dist/dashboard.js)` as a string. */
  scriptUri: string;
  /** `asWebviewUri(dist/dashboard.css)` as a string. */
  styleUri: string;
  /** 16 random bytes, base64 (crypto.randomBytes). */
  nonce: string;
  title: string;
}

/** The Content-Security-Policy of the dashboard webview. */
export function dashboardCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src ${cspSource} 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `img-src ${cspSource} data: blob:`,
    `font-src ${cspSource}`,
    "connect-src 'none'",
  ].join('; ');
}

function attr(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function dashboardHtml(p: WebviewHtmlParts): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${attr(dashboardCsp(p.cspSource, p.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${attr(p.styleUri)}">
<title>${attr(p.title)}</title>
</head>
<body>
<div id="app"></div>
<script nonce="${attr(p.nonce)}" src="${attr(p.scriptUri)}"></script>
</body>
</html>
`;
}
