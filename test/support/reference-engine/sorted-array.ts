/** Binary search over sorted arrays (the reference engine's only "data structure"). */

/**
 * The index of the first element for which `isAtOrAfter` holds, given that it is false for a prefix of the array
 * and true for the rest; `arr.length` when it holds nowhere.
 */
export function firstIndexWhere<T>(arr: readonly T[], isAtOrAfter: (item: T) => boolean): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (isAtOrAfter(arr[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Inserts `item` at its sorted position (after equal elements). */
export function insertSorted<T>(arr: T[], item: T, compare: (a: T, b: T) => number): void {
  arr.splice(firstIndexWhere(arr, (x) => compare(x, item) > 0), 0, item);
}

/** Index of an element equal to `item` by `compare`, or -1. */
export function indexOfSorted<T>(arr: readonly T[], item: T, compare: (a: T, b: T) => number): number {
  const i = firstIndexWhere(arr, (x) => compare(x, item) >= 0);
  return i < arr.length && compare(arr[i]!, item) === 0 ? i : -1;
}
