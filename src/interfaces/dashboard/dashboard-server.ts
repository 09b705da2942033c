/**
 * `node.serveDashboard()`: a small HTTP server on node:http (no framework) with the live page (`/`), its files
 * (`/assets/…`), the live feed (`/events`, server-sent events) and the Prometheus text (`/metrics`). Opt-in: nothing of
 * it exists until served, and the node's close() closes it first. Read-only: no route changes the node.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StorageError } from '../../domain/shared/errors';
import { DashboardFeed, WINDOW_MILLIS, type DashboardSource } from './dashboard-feed';
import { isLoopbackHost, resolveDashboardOptions, type DashboardOptions, type ResolvedDashboardOptions } from './dashboard-options';
import { ASSETS, PAGE_CSP, pageHtml } from './dashboard-page';

export type { DashboardOptions } from './dashboard-options';

/** A served dashboard: where it is, and how to stop it. */
export interface DashboardHandle {
  /** The page's address, e.g. `http://127.0.0.1:39123/`. */
  readonly url: string;
  /** The port it listens on (the one picked when `port` was 0). */
  readonly port: number;
  /** Ends every open page's stream and stops listening; resolves once the server is closed. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts a dashboard for `source`.
 * @throws InvalidArgumentError (INVALID_ARGUMENT) for a bad option (rejected before anything listens).
 * @throws StorageError (DASHBOARD_PORT_IN_USE) when the port is taken; (DASHBOARD_LISTEN_FAILED) when the address
 *   cannot be listened on (not an address of this machine, a privileged port).
 */
export async function serveDashboard(source: DashboardSource, options?: DashboardOptions): Promise<DashboardHandle> {
  const o = resolveDashboardOptions(options);
  const feed = new DashboardFeed(source, o.intervalMillis);
  const assets = new Map<string, Promise<Buffer>>();
  const server = createServer((req, res) => route(req, res, { source, feed, options: o, assets }));
  await listen(server, o);
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${port}/`,
    port,
    close: () => (closing ??= closeServer(server, feed)),
  };
}

/** The dashboards of one node: closed together, first, by the node's close(). */
export class DashboardSet {
  readonly #open = new Set<Promise<DashboardHandle>>();

  /** Serves a dashboard and keeps it until it is closed (by its handle or by closeAll()). */
  serve(source: DashboardSource, options?: DashboardOptions): Promise<DashboardHandle> {
    const serving = serveDashboard(source, options).then((h) => {
      let closing: Promise<void> | null = null;
      const close = (): Promise<void> => (closing ??= h.close().finally(() => this.#open.delete(serving)));
      return { url: h.url, port: h.port, close };
    });
    this.#open.add(serving);
    serving.catch(() => this.#open.delete(serving));
    return serving;
  }

  /** Closes every dashboard, also those still starting; never rejects (closing a server cannot lose data). */
  async closeAll(): Promise<void> {
    await Promise.allSettled([...this.#open].map((p) => p.then((h) => h.close())));
  }
}

interface Context {
  readonly source: DashboardSource;
  readonly feed: DashboardFeed;
  readonly options: ResolvedDashboardOptions;
  /** Asset bytes, read once per server. */
  readonly assets: Map<string, Promise<Buffer>>;
}

function route(req: IncomingMessage, res: ServerResponse, ctx: Context): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (isLoopbackHost(ctx.options.host) && !isLoopbackHost(hostName(req.headers.host))) {
    // DNS rebinding guard: a web page of another site could otherwise read a loopback dashboard.
    text(res, 403, `the dashboard listens on ${ctx.options.host} and answers only loopback host names (localhost, 127.0.0.1, [::1])\n`);
    return;
  }
  if (req.method !== 'GET') {
    res.setHeader('Allow', 'GET');
    text(res, 405, 'the dashboard is read-only: GET only\n');
    return;
  }
  const path = new URL(req.url ?? '/', 'http://dashboard').pathname;
  if (path === '/' || path === '/index.html') {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': PAGE_CSP, 'Cache-Control': 'no-store' });
    res.end(pageHtml(ctx.options.intervalMillis, WINDOW_MILLIS));
  } else if (path === '/events') {
    ctx.feed.add(res);
  } else if (path === '/metrics') {
    metrics(res, ctx.source);
  } else if (path.startsWith('/assets/') && ASSETS.has(path.slice('/assets/'.length))) {
    asset(res, path.slice('/assets/'.length), ctx.assets);
  } else {
    text(res, 404, 'not found: the dashboard serves /, /events, /metrics and /assets/…\n');
  }
}

function metrics(res: ServerResponse, source: DashboardSource): void {
  if (source.isClosed) {
    text(res, 503, 'the node is closed\n');
    return;
  }
  try {
    const body = source.metricsText();
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Cache-Control': 'no-store' }).end(body);
  } catch (e) {
    text(res, 500, `metrics failed: ${(e as Error).message}\n`);
  }
}

function asset(res: ServerResponse, name: string, cache: Map<string, Promise<Buffer>>): void {
  const a = ASSETS.get(name)!;
  let bytes = cache.get(name);
  if (bytes === undefined) {
    bytes = (async () => readFile(a.path()))();
    cache.set(name, bytes);
    bytes.catch(() => cache.delete(name)); // a missing file is asked for again next time
  }
  bytes.then(
    (b) => res.writeHead(200, { 'Content-Type': a.type, 'Cache-Control': 'no-cache' }).end(b),
    (e: unknown) => text(res, 500, `the dashboard's file ${name} is missing from this install (${(e as Error).message}); reinstall aistorage\n`),
  );
}

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(body);
}

/** The host name of a Host header (`127.0.0.1:8080` → `127.0.0.1`, `[::1]:8080` → `::1`). */
function hostName(header: string | undefined): string {
  if (header === undefined) return '';
  const v6 = /^\[([^\]]+)\]/.exec(header);
  return v6 !== null ? v6[1]! : header.replace(/:\d*$/, '');
}

function listen(server: Server, o: ResolvedDashboardOptions): Promise<void> {
  return new Promise((resolveListen, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      const where = `${o.host}:${o.port}`;
      reject(e.code === 'EADDRINUSE'
        ? new StorageError(`serveDashboard: port ${o.port} on ${o.host} is in use; pick another port, or port 0 for a free one`, 'DASHBOARD_PORT_IN_USE')
        : new StorageError(`serveDashboard: cannot listen on ${where} (${e.code ?? e.message}); use an address of this machine and a port it may open`, 'DASHBOARD_LISTEN_FAILED'));
    });
    server.listen(o.port, o.host, () => {
      server.removeAllListeners('error');
      server.on('error', () => {}); // once listening, a failed accept costs that one connection, never the process
      resolveListen();
    });
  });
}

function closeServer(server: Server, feed: DashboardFeed): Promise<void> {
  feed.close();
  return new Promise((resolveClose) => {
    server.close(() => resolveClose());
    server.closeAllConnections(); // idle keep-alive sockets would hold close() open until they time out
  });
}
