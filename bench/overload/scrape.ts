/**
 * The metrics-overhead item of issue 12 ("counters, not events, on hot paths: benchmark figures with metrics must
 * stay within 3% of figures without"): the overload benchmark's update loop on a copy of its data, SCRAPE_SECONDS
 * plain and SCRAPE_SECONDS scraped in slices of 1 s, in groups of four — plain, scraped, scraped, plain (a drift of
 * the machine or of the data weighs on both sides alike, and the shared machine's bursts of other work fall on both
 * sides in turn) — where "scraped" calls `node.metricsText()` every WINDOW_MS, as a Prometheus scraper at its
 * finest or the dashboard would. The cache holds all of the data, throttling is the default (SPEED_BASED) and the
 * interval checkpoint is pushed past the run (NO_CHECKPOINT_MS; the dirty pages stay under the 3/4 trigger): the
 * loop is then bound by the writers' own CPU, where the cost of the counters and of the scrapes shows in full. Under
 * overload, or with a checkpoint every second, the checkpoints' work sets the rate, and its swings (each one writes
 * most of the data here) hide a few percent. Ratio: writes in all scraped slices ÷ writes in all plain slices (equal
 * time); each group's ratio is kept to show the spread.
 */
import { performance } from 'node:perf_hooks';
import { ROWS, SCRAPE_SECONDS, WARMUP_SECONDS, type ScrapeResult } from './common';
import { RowIds, loadCacheBytes, makeValues, nodeConfig, openData } from './dataset';
import { UpdateLoop } from './update-loop';

type Api = typeof import('../../src/interfaces/api/index');

const gc = (globalThis as { gc?: () => void }).gc ?? ((): void => {});

const SLICE_SECONDS = 1;
/** The interval checkpoint of this item: later than the end of the run (its flush writes the warm-up's pages). */
const NO_CHECKPOINT_MS = 3_600_000;
/** Slices of one group: plain, scraped, scraped, plain. */
const GROUP = [false, true, true, false] as const;

export async function runScrape(api: Api, dir: string): Promise<ScrapeResult> {
  const data = await openData(api, dir, nodeConfig(loadCacheBytes(ROWS), 'SPEED_BASED', 'background', NO_CHECKPOINT_MS), false);
  try {
    // One row per closure, as in the first version of this item: the counters every closure passes weigh the most.
    const loop = new UpdateLoop(data, new RowIds(api, ROWS), makeValues(), 1);
    await loop.run({ seconds: WARMUP_SECONDS });
    await Promise.all(data.parts.map((p) => p.flush(true)));
    gc();
    await loop.run({ seconds: SLICE_SECONDS }); // settles after the flush: the first slice measured is not the first after it
    const scrape = { count: 0, ms: 0, bytes: 0 };
    const onTick = (): void => {
      const t0 = performance.now();
      scrape.bytes += data.node.metricsText().length;
      scrape.ms += performance.now() - t0;
      scrape.count++;
    };
    const groups: number[] = [];
    const writes = { plain: 0, scraped: 0 };
    for (let g = 0; g < Math.max(1, Math.round(SCRAPE_SECONDS / SLICE_SECONDS / 2)); g++) {
      const inGroup = { plain: 0, scraped: 0 };
      for (const scraped of GROUP) {
        const r = await loop.run(scraped ? { seconds: SLICE_SECONDS, onTick } : { seconds: SLICE_SECONDS });
        inGroup[scraped ? 'scraped' : 'plain'] += r.writes;
      }
      writes.plain += inGroup.plain;
      writes.scraped += inGroup.scraped;
      groups.push(inGroup.scraped / inGroup.plain);
    }
    if (scrape.bytes === 0) throw new Error('metricsText() returned nothing');
    const seconds = groups.length * 2 * SLICE_SECONDS;
    return {
      id: 'scrape', label: 'metricsText() every 100 ms ÷ none (cache-resident updates)',
      plainWritesPerSec: writes.plain / seconds, scrapedWritesPerSec: writes.scraped / seconds, groupRatios: groups,
      scrapes: scrape.count, scrapeMsMean: scrape.ms / scrape.count, metricsTextBytes: scrape.bytes / scrape.count,
      ratio: writes.scraped / writes.plain,
    };
  } finally {
    await data.node.close();
  }
}
