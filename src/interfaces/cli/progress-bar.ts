/**
 * The progress of `aistorage recover` on stderr: on a terminal one line redrawn in place
 * (`[##########----------]  50%  120,000 / 240,000 batches  85.3k/s`), elsewhere (a log file, CI) a plain line at
 * each further tenth.
 */
const WIDTH = 30;

export interface ProgressSink {
  /** True: a terminal, the line is redrawn in place. */
  readonly tty: boolean;
  write(text: string): void;
}

export class ProgressBar {
  #lastTenth = -1;
  #drawn = false;

  constructor(private readonly sink: ProgressSink, private readonly unit: string) {}

  update(done: number, total: number, millis: number): void {
    const share = total > 0 ? Math.min(1, done / total) : 1;
    const rate = millis > 0 ? done / (millis / 1000) : 0;
    const text = `${bar(share)} ${pct(share)}  ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} ${this.unit}  ${human(rate)}/s`;
    if (this.sink.tty) {
      this.sink.write(`\r${text}`);
      this.#drawn = true;
      return;
    }
    const tenth = Math.floor(share * 10);
    if (tenth > this.#lastTenth) {
      this.#lastTenth = tenth;
      this.sink.write(`${text}\n`);
    }
  }

  /** Ends the redrawn line (a terminal). */
  finish(): void {
    if (this.#drawn) this.sink.write('\n');
    this.#drawn = false;
  }
}

const bar = (share: number): string => {
  const full = Math.round(share * WIDTH);
  return `[${'#'.repeat(full)}${'-'.repeat(WIDTH - full)}]`;
};

const pct = (share: number): string => `${Math.floor(share * 100)}%`.padStart(4);

export function human(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(0);
}
