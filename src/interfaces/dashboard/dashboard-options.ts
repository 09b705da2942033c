/**
 * The options of `node.serveDashboard()`, checked before anything listens: a typo or a wrong type is an
 * InvalidArgumentError naming the option, the value and what to give instead, never a server on a surprising address.
 */
import { isIP } from 'node:net';
import { describeValue } from '../../domain/shared/describe-value';
import { InvalidArgumentError } from '../../domain/shared/errors';

/** Options of `node.serveDashboard()` (README "Live dashboard"). */
export interface DashboardOptions {
  /** TCP port; 0 (the default) picks a free one (read it from the handle's `port` / `url`). */
  readonly port?: number;
  /**
   * Address to listen on; `127.0.0.1` by default, so only this machine can read the page. Anything else (`0.0.0.0`, a
   * LAN address) shows every metric of the node to whoever can reach that address: the dashboard has no login.
   */
  readonly host?: string;
  /** How often the node is sampled for the charts while a page is open, ms (50..60000; default 500). */
  readonly intervalMillis?: number;
}

/** The options with their defaults applied. */
export interface ResolvedDashboardOptions {
  readonly port: number;
  readonly host: string;
  readonly intervalMillis: number;
}

export const DASHBOARD_DEFAULTS: ResolvedDashboardOptions = { port: 0, host: '127.0.0.1', intervalMillis: 500 };
const MIN_INTERVAL_MILLIS = 50;
const MAX_INTERVAL_MILLIS = 60_000;
const KNOWN = new Set(['port', 'host', 'intervalMillis']);

/** The options with defaults, or InvalidArgumentError for the first bad one. */
export function resolveDashboardOptions(options: unknown): ResolvedDashboardOptions {
  if (options === undefined) return DASHBOARD_DEFAULTS;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidArgumentError(`serveDashboard(options): options must be an object such as { port: 8080 } or omitted, got ${describeValue(options)}`);
  }
  const unknown = Object.keys(options).filter((k) => !KNOWN.has(k));
  if (unknown.length > 0) {
    throw new InvalidArgumentError(`serveDashboard(options): unknown option(s) ${unknown.map((k) => `'${k}'`).join(', ')}; the options are port, host and intervalMillis`);
  }
  const o = options as Record<string, unknown>;
  return {
    port: checkPort(o['port']),
    host: checkHost(o['host']),
    intervalMillis: checkInterval(o['intervalMillis']),
  };
}

function checkPort(port: unknown): number {
  if (port === undefined) return DASHBOARD_DEFAULTS.port;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError(`serveDashboard(options): port must be an integer 0..65535 (0 picks a free port), got ${describeValue(port)}`);
  }
  return port;
}

function checkHost(host: unknown): string {
  if (host === undefined) return DASHBOARD_DEFAULTS.host;
  // A host name or an IP address: no spaces, no scheme, no port (those belong in `port`).
  if (typeof host !== 'string' || host.length === 0 || host.length > 253 || (isIP(host) === 0 && !/^[A-Za-z0-9.-]+$/.test(host))) {
    throw new InvalidArgumentError(
      `serveDashboard(options): host must be an IP address or host name such as '127.0.0.1' (no scheme, no port), got ${describeValue(host)}`);
  }
  return host;
}

function checkInterval(interval: unknown): number {
  if (interval === undefined) return DASHBOARD_DEFAULTS.intervalMillis;
  if (typeof interval !== 'number' || !Number.isInteger(interval) || interval < MIN_INTERVAL_MILLIS || interval > MAX_INTERVAL_MILLIS) {
    throw new InvalidArgumentError(
      `serveDashboard(options): intervalMillis must be an integer ${MIN_INTERVAL_MILLIS}..${MAX_INTERVAL_MILLIS} (ms between samples), got ${describeValue(interval)}`);
  }
  return interval;
}

/** True for addresses only this machine can reach: the dashboard then also refuses foreign Host headers. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::ffff:127.0.0.1';
}
