/**
 * Exclusive ownership of a work directory for the life of one open node. A node takes it before it reads or
 * writes anything in the directory and releases it after its last write (close). Node has no flock, so the
 * adapter (infrastructure/workdir) uses an exclusive-create lock file with a liveness check of its holder.
 */
export interface WorkDirLock {
  /**
   * Takes the directory (which exists). Throws WorkDirLockedError (WORKDIR_LOCKED) naming the holder when a
   * live process — this one included — holds it; a lock whose holder died is taken over at once.
   */
  acquire(dir: string): WorkDirLease;
}

export interface WorkDirLease {
  /** The directory as the lock knows it (real path: symlinks and trailing separators resolved). */
  readonly dir: string;
  /** Gives the directory up; idempotent. Never throws: a lock file that cannot be removed is taken over later. */
  release(): void;
}
