/** Assertions on typed errors: the class and, where the catalog has several, the stable `code`. */
import { expect } from 'vitest';

export type ErrorClass = abstract new (...args: never[]) => Error;

function check(thrown: unknown, cls: ErrorClass, code: string | undefined, what: string): void {
  expect(thrown, `${what}: expected ${cls.name}${code ? ` (${code})` : ''}`).toBeInstanceOf(cls);
  if (code !== undefined) expect((thrown as { code?: unknown }).code, `${what}: error code`).toBe(code);
}

export function expectThrows(fn: () => unknown, cls: ErrorClass, code?: string, what = 'call'): void {
  let thrown: unknown = undefined;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  check(thrown, cls, code, what);
}

/** The call must return a promise (never throw synchronously) and the promise must reject with `cls`. */
export async function expectRejects(fn: () => Promise<unknown>, cls: ErrorClass, code?: string, what = 'call'): Promise<void> {
  let promise: Promise<unknown>;
  try {
    promise = fn();
  } catch (e) {
    throw new Error(`${what}: expected a rejected promise, but the call threw synchronously: ${String(e)}`);
  }
  let thrown: unknown = undefined;
  try {
    await promise;
  } catch (e) {
    thrown = e;
  }
  check(thrown, cls, code, what);
}
