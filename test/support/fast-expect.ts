/**
 * Assertions for hot loops (thousands of checks per test), where vitest's expect() costs far more than what it
 * checks. Same verdicts as expect: a check that passes the cheap test could not fail under expect (node's strict
 * deep equality implies toEqual; Object.is is toBe), and any other one is handed to expect itself, which then
 * decides and reports — with the message, built only then.
 */
import { isDeepStrictEqual } from 'node:util';
import { expect } from 'vitest';

type Message = string | (() => string);
const text = (m: Message | undefined): string | undefined => (typeof m === 'function' ? m() : m);

/** expect(actual, message).toEqual(expected), with a strict-deep-equal fast path. */
export function expectEqual(actual: unknown, expected: unknown, message?: Message): void {
  if (!isDeepStrictEqual(actual, expected)) expect(actual, text(message)).toEqual(expected);
}

/** expect(actual, message).toBe(expected), with an Object.is fast path. */
export function expectSame(actual: unknown, expected: unknown, message?: Message): void {
  if (!Object.is(actual, expected)) expect(actual, text(message)).toBe(expected);
}
