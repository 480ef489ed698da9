import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { build } from 'esbuild';
import type { FakeTheme } from '../fakeHost/fakeHostApi';
import { panelHtml } from './panelHtml';
import { sideViewPageHtml } from './sideViewHtml';
import { themeCss } from './themes';
import { generateThumbnails } from './thumbnails';

const ROOT = join(__dirname, '..', '..', '..');
/** The side view's controls, which the host serves from node_modules. */
const VSCODE_ELEMENTS = 'node_modules/@vscode-elements/elements/dist/bundled.js';
const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
  '.html': 'text/html',
};

/** The panel served from 127.0.0.1 with the fake host in front of it. */
export interface WebviewServer {
  readonly origin: string;
  /** The panel page with the fake host's options (n, failed, labels, seed, latency, threshold, theme, training, streaming, expected). */
  url(parameters?: Readonly<Record<string, string | number>>): string;
  /** The side view's page, as the host builds it, with its fake host. */
  readonly sideViewUrl: string;
  close(): Promise<void>;
}

/** Bundle a browser-side harness script (the fake host, the benchmark probe) in memory. */
async function bundle(entry: string): Promise<string> {
  const result = await build({ entryPoints: [join(ROOT, entry)], bundle: true, write: false, format: 'iife', platform: 'browser', target: 'chrome120', logLevel: 'silent' });
  return result.outputFiles[0].text;
}

/** Start the server on a random port; `dist/webview.*` must already be built. */
export async function startWebviewServer(): Promise<WebviewServer> {
  const [fakeHost, benchProbe, fakeSideViewHost] = await Promise.all(['test/webview/fakeHost/fakeHost.ts', 'test/webview/harness/benchProbe.ts', 'test/webview/fakeHost/fakeSideViewHost.ts'].map(bundle));
  const thumbnails = `window.__fixtureThumbnails = ${JSON.stringify(generateThumbnails())};\n`;
  const generated: Record<string, string> = {
    '/harness/fakeHost.js': fakeHost,
    '/harness/benchProbe.js': benchProbe,
    '/harness/thumbnails.js': thumbnails,
    '/harness/fakeSideViewHost.js': fakeSideViewHost,
  };
  for (const theme of ['dark', 'light', 'high-contrast'] as const) generated[`/harness/theme-${theme}.css`] = themeCss(theme);

  let origin = '';
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', origin);
    const send = (status: number, body: string | Buffer, type: string): void => {
      response.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
      response.end(body);
    };
    if (url.pathname === '/') {
      const theme = (url.searchParams.get('theme') ?? 'dark') as FakeTheme;
      const html = panelHtml({
        cspSource: origin,
        nonce: randomBytes(16).toString('base64'),
        scriptUri: `${origin}/dist/webview.js`,
        styleUri: `${origin}/dist/webview.css`,
        preludeScriptUris: ['/harness/thumbnails.js', '/harness/fakeHost.js', ...(url.searchParams.has('bench') ? ['/harness/benchProbe.js'] : [])],
        // `bare`: the fake host alone, to tell its memory from the webview's in the benchmark.
        omitScript: url.searchParams.has('bare'),
        themeStyleUri: `/harness/theme-${theme}.css`,
        bodyClass: `vscode-${theme}`,
      });
      send(200, html, 'text/html');
      return;
    }
    if (url.pathname === '/sideView') {
      send(200, sideViewPageHtml(origin, randomBytes(16).toString('base64'), '/harness/fakeSideViewHost.js'), 'text/html');
      return;
    }
    const generatedBody = generated[url.pathname];
    if (generatedBody !== undefined) {
      send(200, generatedBody, CONTENT_TYPES[extname(url.pathname)] ?? 'text/plain');
      return;
    }
    const file = normalize(url.pathname).replace(/^\/+/, '');
    if (!(file.startsWith('dist/') || file === VSCODE_ELEMENTS) || file.includes('..')) {
      send(404, 'not found', 'text/plain');
      return;
    }
    readFile(join(ROOT, file)).then(
      (body) => send(200, body, CONTENT_TYPES[extname(file)] ?? 'application/octet-stream'),
      () => send(404, 'not found', 'text/plain'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (parameters = {}) => {
      const query = new URLSearchParams();
      for (const [key, value] of Object.entries(parameters)) query.set(key, String(value));
      return `${origin}/?${query}`;
    },
    sideViewUrl: `${origin}/sideView`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
