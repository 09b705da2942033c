/**
 * The dashboard's live feed: one server-sent-events stream per open page, all fed by one sampler. The sampler (a
 * timer and a subscription to the node's events) exists only while at least one page is connected, so a node whose
 * dashboard nobody watches pays nothing — not a timer tick, not an event object (events are built only when someone
 * subscribes). Frames: `hello` once per connection, `sample` every interval, `event` per node event.
 */
import type { ServerResponse } from 'node:http';
import type { Observable, Subscription } from 'rxjs';
import type { NodeMetrics } from '../../application/engine/node-metrics';
import type { CheckpointFinishedEvent } from '../../domain/checkpoint/checkpoint.events';
import { deriveSample, sampleCounters, type SampleCounters } from './dashboard-sample';

/** What the dashboard reads of a node (StorageNode fits; a narrow shape keeps the import graph acyclic). */
export interface DashboardSource {
  readonly isClosed: boolean;
  readonly events$: Observable<{ readonly type: string }>;
  metrics(): NodeMetrics;
  metricsText(): string;
}

/** How long the page keeps points: the charts' rolling window. */
export const WINDOW_MILLIS = 5 * 60_000;
/** A page that reads slower than the node writes is dropped past this much queued output (its browser reconnects). */
const MAX_QUEUED_BYTES = 1 << 20;
/** How long a browser waits before reconnecting a dropped stream, ms. */
const RETRY_MILLIS = 2000;

export class DashboardFeed {
  readonly #clients = new Set<ServerResponse>();
  readonly #source: DashboardSource;
  readonly #intervalMillis: number;
  #timer: NodeJS.Timeout | null = null;
  #events: Subscription | null = null;
  #counters: SampleCounters | null = null;
  #closed = false;

  constructor(source: DashboardSource, intervalMillis: number) {
    this.#source = source;
    this.#intervalMillis = intervalMillis;
  }

  /** Pages connected now. */
  get clients(): number {
    return this.#clients.size;
  }

  /** Turns `res` into an event stream of this feed until the page goes away or close() is called. */
  add(res: ServerResponse): void {
    if (this.#closed) {
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' }).end('the dashboard is closing\n');
      return;
    }
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no', // a reverse proxy must not buffer the stream
    });
    const last = this.#lastCheckpoint();
    res.write(`retry: ${RETRY_MILLIS}\n\n`);
    res.write(frame('hello', { intervalMillis: this.#intervalMillis, windowMillis: WINDOW_MILLIS, at: Date.now(), lastCheckpoint: last }));
    this.#clients.add(res);
    res.on('close', () => this.#remove(res));
    if (this.#clients.size === 1) this.#start();
  }

  /** Ends every stream and stops the sampler; later connections get 503. */
  close(): void {
    this.#closed = true;
    for (const res of this.#clients) res.end();
    this.#clients.clear();
    this.#stop();
  }

  #remove(res: ServerResponse): void {
    if (this.#clients.delete(res) && this.#clients.size === 0) this.#stop();
  }

  #start(): void {
    this.#counters = this.#read()?.counters ?? null;
    this.#timer = setInterval(() => this.#tick(), this.#intervalMillis);
    this.#timer.unref(); // the dashboard never keeps a process alive by itself
    this.#events = this.#source.events$.subscribe((e) => this.#broadcast(frame('event', { ...e, at: Date.now() })));
  }

  #stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    this.#events?.unsubscribe();
    this.#events = null;
    this.#counters = null;
  }

  #tick(): void {
    const now = this.#read();
    if (now === null) return;
    if (this.#counters !== null) this.#broadcast(frame('sample', deriveSample(this.#counters, now.counters, now.metrics)));
    this.#counters = now.counters;
  }

  /** A snapshot, or null once the node is closing (its close() closes this feed next). */
  #read(): { metrics: NodeMetrics; counters: SampleCounters } | null {
    if (this.#source.isClosed) return null;
    try {
      const metrics = this.#source.metrics();
      return { metrics, counters: sampleCounters(metrics, Date.now()) };
    } catch {
      return null; // a sampler runs from a timer: a failed snapshot is a gap in the charts, never an uncaught error
    }
  }

  #lastCheckpoint(): CheckpointFinishedEvent | null {
    if (this.#source.isClosed) return null;
    try {
      return this.#source.metrics().aipersist?.checkpoints.last ?? null;
    } catch {
      return null;
    }
  }

  #broadcast(text: string): void {
    for (const res of this.#clients) {
      if (res.writableLength > MAX_QUEUED_BYTES) res.destroy();
      else res.write(text);
    }
  }
}

/** One server-sent event; bigints (none today, but payloads are the node's) are written as decimal strings. */
export function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}\n\n`;
}
