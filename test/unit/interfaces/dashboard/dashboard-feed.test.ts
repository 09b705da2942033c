/**
 * The dashboard's feed costs the node nothing while no page is open: no metrics() call, no subscription to events$.
 * With pages open, one sampler feeds them all (every page gets the same samples); it stops when the last page goes.
 * Real time with a 50 ms interval: the waits below are the absence of ticks being observed.
 */
import { request } from 'node:http';
import { Subject } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { NodeMetrics } from '../../../../src/interfaces/api/index';
import { serveDashboard, type DashboardHandle } from '../../../../src/interfaces/dashboard/dashboard-server';
import type { DashboardSource } from '../../../../src/interfaces/dashboard/dashboard-feed';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function fakeNode(): DashboardSource & { reads: number; events: Subject<{ type: string }> } {
  const events = new Subject<{ type: string }>();
  const node = {
    reads: 0, events, isClosed: false, events$: events.asObservable(), metricsText: () => '',
    metrics: (): NodeMetrics => {
      node.reads++;
      return { takenAtMillis: 0, regions: [], tables: [], aipersist: null, writes: { closures: node.reads } };
    },
  };
  return node;
}

/** An open /events stream whose sample times are collected. */
function watch(url: string): Promise<{ samples: number[]; close(): void }> {
  return new Promise((resolve, reject) => {
    const samples: number[] = [];
    const req = request(new URL('events', url), { agent: false }, (res) => {
      let buffered = '';
      res.setEncoding('utf8').on('data', (c: string) => {
        buffered += c;
        for (let i = buffered.indexOf('\n\n'); i >= 0; i = buffered.indexOf('\n\n')) {
          const f = buffered.slice(0, i);
          buffered = buffered.slice(i + 2);
          if (f.startsWith('event: sample\n')) samples.push((JSON.parse(f.slice(f.indexOf('data: ') + 6)) as { t: number }).t);
        }
      });
      resolve({ samples, close: () => req.destroy() });
    });
    req.on('error', reject).end();
  });
}

async function until(what: string, ok: () => boolean): Promise<void> {
  for (const end = Date.now() + 5000; !ok(); await sleep(10)) if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
}

describe('DashboardFeed', () => {
  let handle: DashboardHandle | null = null;
  afterEach(async () => {
    await handle?.close();
    handle = null;
  });

  it('samples nothing and subscribes to nothing until a page connects, and stops after the last one left', async () => {
    const node = fakeNode();
    handle = await serveDashboard(node, { intervalMillis: 50 });
    await sleep(200);
    expect({ reads: node.reads, observed: node.events.observed }).toEqual({ reads: 0, observed: false });

    const a = await watch(handle.url);
    await until('samples on the first page', () => a.samples.length >= 2);
    expect(node.events.observed).toBe(true);
    const b = await watch(handle.url);
    await until('samples on the second page', () => b.samples.length >= 3);
    const shared = b.samples.slice(0, 3);
    expect(a.samples).toEqual(expect.arrayContaining(shared)); // the same samples: one sampler for both pages

    a.close();
    b.close();
    await until('the sampler to stop', () => !node.events.observed);
    const reads = node.reads;
    await sleep(200);
    expect(node.reads).toBe(reads);
  });

  it('survives a metrics() that throws (a gap, never an uncaught error)', async () => {
    const node = fakeNode();
    let fail = true;
    const metrics = node.metrics;
    node.metrics = () => {
      if (fail) throw new Error('boom');
      return metrics();
    };
    handle = await serveDashboard(node, { intervalMillis: 50 });
    const a = await watch(handle.url);
    await sleep(150);
    expect(a.samples).toEqual([]);
    fail = false;
    await until('samples once metrics() works', () => a.samples.length >= 1);
    a.close();
  });
});
