/**
 * The dashboard's page and the files it loads. The HTML is built here (it names the charts the client script fills,
 * and works even where the asset files are missing, so a broken install says so on the page). The client script and
 * its stylesheet live in the package's top-level `dashboard/` directory — tsc copies no non-TS files into dist, and
 * src/ and dist/ sit at the same depth, so one relative path finds them from both — and uPlot's files come from its
 * own package in node_modules.
 */
import { join, resolve } from 'node:path';

/** The charts, in page order: id (the client script's key), title and what a point means. */
export const CHARTS: readonly { readonly id: string; readonly title: string; readonly caption: string }[] = [
  { id: 'writes', title: 'Write throughput', caption: 'write closures per second' },
  { id: 'dirty', title: 'Dirty pages', caption: 'dirty / cache pages per durable region; dashed: the throttling target' },
  { id: 'buffer', title: 'Checkpoint buffer', caption: 'copy-on-write buffer pages in use / capacity' },
  { id: 'throttle', title: 'Throttling', caption: 'ms writers were held back, per second' },
  { id: 'hits', title: 'Cache hit ratio', caption: 'page-cache hits / (hits + misses) per interval' },
  { id: 'phases', title: 'Checkpoint phases', caption: 'ms per checkpoint: lock wait, lock hold (snapshot), sort, write' },
];

/** The package's `dashboard/` directory (from src/interfaces/dashboard or dist/interfaces/dashboard). */
const OWN_ASSETS = resolve(__dirname, '..', '..', '..', 'dashboard');

/** A file the page loads: where it is (resolved when first asked for) and its content type. */
export interface Asset {
  readonly path: () => string;
  readonly type: string;
}

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/** `/assets/<name>`: a fixed list, so no request can name another file. */
export const ASSETS: ReadonlyMap<string, Asset> = new Map([
  ['uPlot.iife.min.js', { path: () => require.resolve('uplot/dist/uPlot.iife.min.js'), type: JS }],
  ['uPlot.min.css', { path: () => require.resolve('uplot/dist/uPlot.min.css'), type: CSS }],
  ['dashboard.js', { path: () => join(OWN_ASSETS, 'dashboard.js'), type: JS }],
  ['dashboard.css', { path: () => join(OWN_ASSETS, 'dashboard.css'), type: CSS }],
]);

/**
 * Scripts and styles from this server only; images also as data: URLs (the empty icon below keeps the browser from
 * asking for /favicon.ico).
 */
export const PAGE_CSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/** The page. Asset and stream URLs are relative, so the page also works behind a proxy under a path prefix. */
export function pageHtml(intervalMillis: number, windowMillis: number): string {
  const sections = CHARTS.map((c) => `    <section class="chart" id="chart-${c.id}">
      <h2>${c.title} <span class="now" data-now="${c.id}"></span></h2>
      <p class="caption">${c.caption}</p>
      <div class="plot"></div>
    </section>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>aistorage dashboard</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="assets/uPlot.min.css">
  <link rel="stylesheet" href="assets/dashboard.css">
</head>
<body data-interval-millis="${intervalMillis}" data-window-millis="${windowMillis}">
  <header>
    <h1>aistorage <span>live</span></h1>
    <span class="key"><i class="band checkpoint"></i>checkpoint <i class="band throttling"></i>throttling</span>
    <span id="status">connecting…</span>
  </header>
  <main>
${sections}
  </main>
  <script src="assets/uPlot.iife.min.js"></script>
  <script src="assets/dashboard.js"></script>
</body>
</html>
`;
}
