/**
 * DATE, TIME and TIMESTAMP values of table columns (DESIGN.md §9 "Values"): ISO strings, validated and made
 * canonical. The parsing and formatting are the index key codec's (key-temporal.ts); this file adds the table rules:
 *
 * - DATE 'YYYY-MM-DD' only (4-digit years 0001..9999, a real calendar date);
 * - TIME 'HH:MM:SS' with an optional '.' and 1..9 fraction digits;
 * - TIMESTAMP date 'T' time (a space instead of 'T' is accepted on input), or a JS Date taken as UTC.
 *
 * Canonical TIME/TIMESTAMP strings drop the fraction's trailing zeros and the '.' of a zero fraction, so two equal
 * instants always give the same string (and the row codec's decode gives back exactly the normalized value).
 */
import { describeValue } from '../shared/describe-value';
import { InvalidArgumentError } from '../shared/errors';
import type { KeyColumn } from '../index/column-values';
import { checkDate, checkDateTime, checkTime, daysFromCivil, formatDate, formatTime, nanosOfDateTime } from '../index/key-temporal';
import { valueError, wrongType } from './table-argument-error';
import type { SchemaColumn } from './table-schema';

/** 0001-01-01 and 9999-12-31 as days since 1970-01-01: the DATE/TIMESTAMP range. */
export const MIN_DAYS = daysFromCivil(1, 1, 1);
export const MAX_DAYS = daysFromCivil(9999, 12, 31);
export const MILLIS_PER_DAY = 86_400_000;

/** Only passed to the key codec's parsers, whose errors are replaced by the table's own. */
const PARSER_COLUMN: KeyColumn = { name: 'value', type: 'DATETIME', nullable: false };
const DATE_SHAPE = "'YYYY-MM-DD' (a calendar date, years 0001..9999)";
const TIME_SHAPE = "'HH:MM:SS[.fffffffff]' (up to 9 fraction digits)";
const TIMESTAMP_SHAPE = "'YYYY-MM-DDTHH:MM:SS[.fffffffff]' (years 0001..9999; a space may replace the 'T')";

/** Days since the epoch of a 'YYYY-MM-DD' string in range, or NaN. */
export function dateDays(s: string): number {
  if (s.length !== 10) return NaN;
  let days: number;
  try {
    days = checkDate(PARSER_COLUMN, s);
  } catch (e) {
    if (e instanceof InvalidArgumentError) return NaN;
    throw e;
  }
  return days >= MIN_DAYS && days <= MAX_DAYS ? days : NaN;
}

/** Nanoseconds of the day of an 'HH:MM:SS[.f]' string, or NaN. */
export function timeNanos(s: string): number {
  try {
    return checkTime(PARSER_COLUMN, s);
  } catch (e) {
    if (e instanceof InvalidArgumentError) return NaN;
    throw e;
  }
}

/** Days of a 'YYYY-MM-DDTHH:MM:SS[.f]' string in range (its time: `timestampNanos`), or NaN. */
export function timestampDays(s: string): number {
  if (s.charCodeAt(10) !== 84) return NaN; // 'T' right after a 4-digit-year date
  let days: number;
  try {
    days = checkDateTime(PARSER_COLUMN, s);
  } catch (e) {
    if (e instanceof InvalidArgumentError) return NaN;
    throw e;
  }
  return days >= MIN_DAYS && days <= MAX_DAYS ? days : NaN;
}

/** The time part of a string that `timestampDays` accepted. */
export function timestampNanos(s: string): number {
  return nanosOfDateTime(s);
}

export function normalizeDate(table: string, column: SchemaColumn, v: unknown): string {
  if (typeof v !== 'string') throw wrongType(table, column, `a date string ${DATE_SHAPE}`, v);
  const days = dateDays(v);
  if (days !== days) throw valueError(table, column, `${describeValue(v)} is not a valid date; write it as ${DATE_SHAPE}`);
  return v;
}

export function normalizeTime(table: string, column: SchemaColumn, v: unknown): string {
  if (typeof v !== 'string') throw wrongType(table, column, `a time string ${TIME_SHAPE}`, v);
  const nanos = timeNanos(v);
  if (nanos !== nanos) throw valueError(table, column, `${describeValue(v)} is not a valid time; write it as ${TIME_SHAPE}`);
  return formatTime(nanos);
}

export function normalizeTimestamp(table: string, column: SchemaColumn, v: unknown): string {
  if (v instanceof Date) return timestampOfDate(table, column, v);
  if (typeof v !== 'string') throw wrongType(table, column, `a timestamp string ${TIMESTAMP_SHAPE} or a Date`, v);
  const s = v.charCodeAt(10) === 32 ? `${v.slice(0, 10)}T${v.slice(11)}` : v;
  const days = timestampDays(s);
  if (days !== days) throw valueError(table, column, `${describeValue(v)} is not a valid timestamp; write it as ${TIMESTAMP_SHAPE}`);
  return `${s.slice(0, 10)}T${formatTime(timestampNanos(s))}`;
}

/** A Date's UTC date and time (milliseconds), canonical. */
function timestampOfDate(table: string, column: SchemaColumn, d: Date): string {
  const ms = d.getTime();
  const days = Math.floor(ms / MILLIS_PER_DAY);
  if (!(days >= MIN_DAYS && days <= MAX_DAYS)) {
    throw valueError(table, column, `the Date ${ms === ms ? d.toISOString() : 'Invalid Date'} is not a timestamp in years 0001..9999`);
  }
  return `${formatDate(days)}T${formatTime((ms - days * MILLIS_PER_DAY) * 1e6)}`;
}

/** The canonical TIMESTAMP string of days since the epoch and nanoseconds of the day (both in range). */
export function formatTimestamp(days: number, nanosOfDay: number): string {
  return `${formatDate(days)}T${formatTime(nanosOfDay)}`;
}
