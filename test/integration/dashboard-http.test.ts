/**
 * node.serveDashboard() over plain HTTP (no browser; dashboard-browser.test.ts loads the page in Chromium): the page
 * and its files, the server-sent events of /events (framing, samples, node events), /metrics, the DNS-rebinding
 * guard, bad options as typed errors, a port in use, close() of the handle and of the node.
 */
import { request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openNode, RowId, type StorageNode } from '../../src/interfaces/api/index';
import { tempDir } from '../support/temp-dir';

const MiB = 1024 * 1024;

interface Reply { readonly status: number; readonly headers: Record<string, string | string[] | undefined>; readonly body: string }

/** One GET (or another method) with the given Host header, on a new connection; resolves with the whole body. */
function get(url: string, options: { method?: string; host?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers = options.host === undefined ? {} : { host: options.host };
    const req = request(url, { method: options.method ?? 'GET', headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject).end();
  });
}

/** An open /events stream: its raw text so far, and whether the server ended it. */
function openEvents(url: string): Promise<{ text: () => string; ended: Promise<void>; contentType: string; close(): void }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL('events', url), { agent: false }, (res) => {
      let text = '';
      const ended = new Promise<void>((done) => res.on('end', done).on('close', done));
      res.setEncoding('utf8').on('data', (c: string) => (text += c));
      resolve({ text: () => text, ended, contentType: String(res.headers['content-type']), close: () => req.destroy() });
    });
    req.on('error', reject).end();
  });
}

/** The frames of an event stream: `event` name and parsed `data` (frames without data, like `retry:`, have none). */
function frames(text: string): { event: string | null; data: unknown; raw: string }[] {
  return text.split('\n\n').filter((f) => f !== '').map((raw) => {
    const event = /^event: (.*)$/m.exec(raw)?.[1] ?? null;
    const data = /^data: (.*)$/m.exec(raw)?.[1];
    return { event, data: data === undefined ? undefined : JSON.parse(data), raw };
  });
}

async function until(what: string, ok: () => boolean, timeoutMillis = 10_000): Promise<void> {
  const end = Date.now() + timeoutMillis;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('node.serveDashboard() over HTTP', () => {
  const dir = tempDir('aistorage-dashboard-');
  let node: StorageNode;

  beforeEach(async () => {
    node = await openNode({
      workDir: dir.path,
      config: { ignite: { storage: { engines: { aipersist: { pageSizeBytes: 4096, checkpoint: { intervalMillis: 0 } } }, profiles: [{ engine: 'aipersist', name: 'default', sizeBytes: 16 * MiB }] } } },
    });
  });
  afterEach(async () => {
    await node.close();
    dir.cleanup();
  });

  it('serves the page, its files and /metrics on 127.0.0.1 by default', async () => {
    const d = await node.serveDashboard();
    expect(d.url).toBe(`http://127.0.0.1:${d.port}/`);
    expect(d.port).toBeGreaterThan(0);
    const page = await get(d.url);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'/);
    for (const id of ['writes', 'dirty', 'buffer', 'throttle', 'hits', 'phases']) expect(page.body).toContain(`id="chart-${id}"`);
    for (const [file, type, marker] of [['uPlot.iife.min.js', 'text/javascript', 'uPlot'], ['uPlot.min.css', 'text/css', '.uplot'],
      ['dashboard.js', 'text/javascript', '__dashboard'], ['dashboard.css', 'text/css', '.chart']] as const) {
      expect(page.body).toContain(`assets/${file}`);
      const r = await get(`${d.url}assets/${file}`);
      expect({ file, status: r.status, type: r.headers['content-type'] }).toEqual({ file, status: 200, type: `${type}; charset=utf-8` });
      expect(r.body).toContain(marker);
    }
    const metrics = await get(`${d.url}metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(metrics.body).toContain('# TYPE aistorage_checkpoints_total counter');
  });

  it('answers unknown paths with 404, other methods with 405, and foreign Host names with 403 (DNS rebinding)', async () => {
    const d = await node.serveDashboard();
    expect((await get(`${d.url}assets/../package.json`)).status).toBe(404);
    expect((await get(`${d.url}assets/secret.js`)).status).toBe(404);
    expect((await get(`${d.url}nope`)).status).toBe(404);
    expect((await get(d.url, { method: 'POST' })).status).toBe(405);
    expect((await get(d.url, { host: 'attacker.example:80' })).status).toBe(403);
    expect((await get(d.url, { host: `localhost:${d.port}` })).status).toBe(200);
  });

  it('streams server-sent events: hello, a sample per interval, and the node events (a checkpoint)', async () => {
    const table = node.engine('aipersist').createMvTable({ tableId: 1, partitions: 1, storageProfile: 'default' });
    const part = await table.createMvPartition(0);
    const d = await node.serveDashboard({ intervalMillis: 50 });
    const stream = await openEvents(d.url);
    expect(stream.contentType).toBe('text/event-stream; charset=utf-8');
    await until('two samples', () => frames(stream.text()).filter((f) => f.event === 'sample').length >= 2);
    part.runConsistently(() => {
      for (let i = 0; i < 200; i++) part.addWriteCommitted(RowId.random(0), { schemaVersion: 1, bytes: new Uint8Array(100) }, node.clock.now());
    });
    await node.checkpoint();
    await until('a checkpoint.finished event', () => stream.text().includes('"type":"checkpoint.finished"'));
    await until('a sample after the writes', () => frames(stream.text()).some((f) => f.event === 'sample' && (f.data as { writesPerSec: number }).writesPerSec > 0));
    stream.close();

    const all = frames(stream.text());
    expect(all[0]!.raw).toBe('retry: 2000');
    expect(all[1]).toMatchObject({ event: 'hello', data: { intervalMillis: 50, windowMillis: 300_000, lastCheckpoint: null } });
    for (const f of all) expect(f.raw).toMatch(/^(retry: \d+|event: [a-z]+\ndata: \{.*\})$/); // one data line per frame
    const sample = all.find((f) => f.event === 'sample' && (f.data as { regions: unknown[] }).regions.length > 0)!.data;
    expect(sample).toMatchObject({ t: expect.any(Number), regions: [{ profile: 'default', engine: 'aipersist', volatile: false, dirtyRatio: expect.any(Number), bufferFill: expect.any(Number) }] });
    const events = all.filter((f) => f.event === 'event').map((f) => f.data as { type: string; at: number });
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['checkpoint.started', 'checkpoint.finished']));
    expect(events.every((e) => typeof e.at === 'number')).toBe(true);
  });

  it('refuses bad options with INVALID_ARGUMENT, naming the option', async () => {
    const bad: [unknown, RegExp][] = [
      [{ port: -1 }, /port must be an integer 0\.\.65535/], [{ port: 65536 }, /port/], [{ port: 1.5 }, /port/], [{ port: '8080' }, /port/],
      [{ host: '' }, /host must be/], [{ host: 'http://localhost' }, /host/], [{ host: 'a b' }, /host/], [{ host: 5 }, /host/],
      [{ intervalMillis: 0 }, /intervalMillis must be an integer 50\.\.60000/], [{ intervalMillis: 1e9 }, /intervalMillis/],
      [{ intervalMillis: Number.NaN }, /intervalMillis/], [{ prot: 8080 }, /unknown option\(s\) 'prot'/], ['8080', /options must be an object/],
      [null, /options must be an object/],
    ];
    for (const [options, message] of bad) {
      await expect(node.serveDashboard(options as never), JSON.stringify(options)).rejects.toMatchObject({ name: 'InvalidArgumentError', code: 'INVALID_ARGUMENT', message: expect.stringMatching(message) });
    }
  });

  it('refuses a port in use with DASHBOARD_PORT_IN_USE, and an address not of this machine with DASHBOARD_LISTEN_FAILED', async () => {
    const first = await node.serveDashboard();
    await expect(node.serveDashboard({ port: first.port })).rejects.toMatchObject({ name: 'StorageError', code: 'DASHBOARD_PORT_IN_USE', message: expect.stringContaining(`port ${first.port}`) });
    const other = createServer();
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const taken = (other.address() as AddressInfo).port;
    await expect(node.serveDashboard({ port: taken })).rejects.toMatchObject({ code: 'DASHBOARD_PORT_IN_USE' });
    await new Promise((r) => other.close(r));
    await expect(node.serveDashboard({ host: '203.0.113.7' })).rejects.toMatchObject({ code: 'DASHBOARD_LISTEN_FAILED' }); // TEST-NET-3
  });

  it('close() ends the open streams and stops listening; it is idempotent', async () => {
    const d = await node.serveDashboard({ intervalMillis: 50 });
    const stream = await openEvents(d.url);
    const closing = d.close();
    expect(d.close()).toBe(closing);
    await closing;
    await stream.ended;
    await expect(get(d.url)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(node.isClosed).toBe(false);
  });

  it("the node's close() closes its dashboards first (also one still starting); a closed node serves none", async () => {
    const d = await node.serveDashboard({ intervalMillis: 50 });
    const stream = await openEvents(d.url);
    await until('a sample', () => stream.text().includes('event: sample'));
    const starting = node.serveDashboard();
    await node.close();
    await stream.ended;
    await expect(get(d.url)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await expect(get((await starting).url)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await expect(node.serveDashboard()).rejects.toMatchObject({ code: 'STORAGE_CLOSED' });
  });
});
