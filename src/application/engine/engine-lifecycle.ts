/**
 * The start/stop state of one engine adapter: created → starting → started (or failed) → stopping → stopped.
 * Engines delegate their `start()`/`stop()` here and call `check()` at the top of every other call, so "used before
 * start" and "used after stop" fail the same way in every engine (StorageClosedError).
 *
 * - `start(work)` runs `work` once; a second call returns the same promise. Starting a stopped engine throws:
 *   an engine is not restarted — a new node (a new container) builds new engines.
 * - `stop(work)` runs `work` once and is idempotent (a second call returns the same promise). Calls are refused
 *   from the moment `stop()` is called, not only once it finished. A stop during a start waits for the start to
 *   settle first, so `work` never races the engine's own recovery. A stop after a failed start still runs `work`
 *   (it releases what the start acquired before it failed); a failed start is not retried.
 */
import { StorageClosedError } from '../../domain/shared/errors';

type EngineState = 'created' | 'starting' | 'started' | 'failed' | 'stopping' | 'stopped';

export class EngineLifecycle {
  #state: EngineState = 'created';
  #starting: Promise<void> | null = null;
  #stopping: Promise<void> | null = null;

  /** `engine` names the engine in error messages. */
  constructor(private readonly engine: string) {}

  get state(): EngineState {
    return this.#state;
  }

  start(work: () => Promise<void> | void): Promise<void> {
    if (this.#stopping) {
      return Promise.reject(new StorageClosedError(`the ${this.engine} engine is stopped and cannot start again; open the node again`));
    }
    this.#starting ??= this.#run(work);
    return this.#starting;
  }

  stop(work: () => Promise<void> | void): Promise<void> {
    if (this.#stopping) return this.#stopping;
    const started = this.#starting;
    this.#state = 'stopping';
    this.#stopping = (async () => {
      try {
        if (started) await started.catch(() => undefined);
        await work();
      } finally {
        this.#state = 'stopped';
      }
    })();
    return this.#stopping;
  }

  /** Throws StorageClosedError unless the engine is started (and not being stopped). */
  check(): void {
    if (this.#state === 'started') return;
    if (this.#state === 'stopping' || this.#state === 'stopped') {
      throw new StorageClosedError(`the ${this.engine} engine is stopped (its node was closed); open the node again`);
    }
    if (this.#state === 'failed') {
      throw new StorageClosedError(`the ${this.engine} engine failed to start (see the error of openNode()); open the node again`);
    }
    throw new StorageClosedError(
      `the ${this.engine} engine is not started yet; open the node with openNode(), which starts its engines`,
    );
  }

  async #run(work: () => Promise<void> | void): Promise<void> {
    this.#state = 'starting';
    try {
      await work();
    } catch (e) {
      if (this.#state === 'starting') this.#state = 'failed';
      throw e;
    }
    if (this.#state === 'starting') this.#state = 'started';
  }
}
