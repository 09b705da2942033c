/**
 * Facts about the machine the node runs on. Dynamic configuration defaults (region sizes of
 * `max(256 MiB, 20% of physical RAM)`) derive from it; tests substitute a fake with a fixed RAM size.
 */
export interface SystemInfo {
  /** Physical memory of the machine in bytes (a positive integer). */
  totalMemoryBytes(): number;
}
