/**
 * Argument checks of the catalog's commands: descriptor shapes, names, numbers. Each failure is a typed error that
 * names the object and says what to do; nothing is changed when one is thrown.
 */
import { describeValue } from '../../domain/shared/describe-value';
import { InvalidArgumentError } from '../../domain/shared/errors';

/** Longest name of a zone, table, column or index. */
export const MAX_NAME_LENGTH = 128;

export function checkObject(value: unknown, what: string, example: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError(`${what} must be an object such as ${example}, got ${describeValue(value)}`);
  }
  return value as Record<string, unknown>;
}

/** Refuses keys a descriptor does not have (a typo would otherwise be ignored silently). */
export function checkKeys(obj: Record<string, unknown>, allowed: readonly string[], what: string): void {
  const unknown = Object.keys(obj).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) {
    throw new InvalidArgumentError(
      `${what} has unknown key(s) ${unknown.map((k) => JSON.stringify(k)).join(', ')}; its keys are ${allowed.join(', ')}`);
  }
}

/** A name of a zone, table, column or index: a non-empty string of at most 128 characters, no control characters. */
export function checkName(value: unknown, kind: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_NAME_LENGTH || /[\u0000-\u001f\u007f]/.test(value)) {
    throw new InvalidArgumentError(
      `A ${kind} name must be a string of 1..${MAX_NAME_LENGTH} characters without control characters, got ${describeValue(value)}`);
  }
  return value;
}

export function checkInteger(value: unknown, what: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError(`${what} must be an integer in ${min}..${max}, got ${describeValue(value)}`);
  }
  return value;
}

/** A non-empty array of distinct (case-insensitively) non-empty strings. */
export function checkNameList(value: unknown, what: string): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== 'string' || v.length === 0)) {
    throw new InvalidArgumentError(`${what} must be a non-empty array of names, got ${describeValue(value)}`);
  }
  const seen = new Set<string>();
  for (const v of value as string[]) {
    const key = v.toLowerCase();
    if (seen.has(key)) throw new InvalidArgumentError(`${what} names ${JSON.stringify(v)} twice`);
    seen.add(key);
  }
  return [...(value as string[])];
}
