/**
 * `f()`, with what it throws before it has a promise to give (a closed node, an argument refused at once) as a rejected
 * promise: a method that returns a promise never throws, so `.catch()` and `await` see every error alike.
 */
export function settled<T>(f: () => T | Promise<T>): Promise<T> {
  try {
    return Promise.resolve(f());
  } catch (e) {
    return Promise.reject(e);
  }
}
