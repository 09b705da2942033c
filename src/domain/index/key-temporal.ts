/**
 * DATE, TIME and DATETIME key values. Strings are parsed into integers that order like the values:
 * DATE = days since 1970-01-01 in the proleptic Gregorian calendar (4 bytes, sign-flipped), TIME = nanoseconds
 * of the day (6 bytes, unsigned), DATETIME = DATE then TIME (10 bytes).
 *
 * Accepted forms: 'YYYY-MM-DD' (years 0000..9999) or '+YYYYYY-MM-DD' / '-YYYYYY-MM-DD' (years -999999..999999,
 * as ISO 8601 expanded years); 'HH:MM:SS' with an optional '.f' of 1..9 digits; DATETIME = date 'T' time.
 * Decoded strings are canonical: 4-digit years when in 0..9999, otherwise a sign and 6 digits; the fraction
 * without trailing zeros, omitted when zero. Canonical input round-trips exactly.
 */
import { wrongValue } from './column-values';
import type { KeyColumn } from './column-values';

export const NANOS_PER_DAY = 86_400_000_000_000;
const DATE_SHAPE = "a date string 'YYYY-MM-DD'";
const TIME_SHAPE = "a time string 'HH:MM:SS[.fffffffff]'";
const DATETIME_SHAPE = "a date-time string 'YYYY-MM-DDTHH:MM:SS[.fffffffff]'";
const TWO_32 = 4294967296;

export function checkDate(c: KeyColumn, v: unknown): number {
  const days = typeof v === 'string' ? parseDate(v, 0, v.length) : NaN;
  if (days !== days) throw wrongValue(c, DATE_SHAPE, v);
  return days;
}

export function checkTime(c: KeyColumn, v: unknown): number {
  const nanos = typeof v === 'string' ? parseTime(v, 0, v.length) : NaN;
  if (nanos !== nanos) throw wrongValue(c, TIME_SHAPE, v);
  return nanos;
}

/** Validates a DATETIME and returns its days; `nanosOfDateTime` then gives its time part. */
export function checkDateTime(c: KeyColumn, v: unknown): number {
  const t = typeof v === 'string' ? v.indexOf('T') : -1;
  const days = t > 0 ? parseDate(v as string, 0, t) : NaN;
  const nanos = t > 0 ? parseTime(v as string, t + 1, (v as string).length) : NaN;
  if (days !== days || nanos !== nanos) throw wrongValue(c, DATETIME_SHAPE, v);
  return days;
}

/** The time part of a DATETIME string that `checkDateTime` accepted. */
export function nanosOfDateTime(v: string): number {
  return parseTime(v, v.indexOf('T') + 1, v.length);
}

/** Days since the epoch of the date in s[start..end), NaN when malformed or not a calendar date. */
function parseDate(s: string, start: number, end: number): number {
  const first = s.charCodeAt(start);
  const signed = first === 43 || first === 45;
  const yearDigits = signed ? 6 : 4;
  const yEnd = start + (signed ? 1 : 0) + yearDigits;
  if (end - yEnd !== 6 || s.charCodeAt(yEnd) !== 45 || s.charCodeAt(yEnd + 3) !== 45) return NaN;
  const absYear = digitsAt(s, yEnd - yearDigits, yearDigits);
  if (signed && first === 45 && absYear === 0) return NaN;
  const year = first === 45 ? -absYear : absYear;
  const month = digitsAt(s, yEnd + 1, 2);
  const day = digitsAt(s, yEnd + 4, 2);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NaN;
  return daysFromCivil(year, month, day);
}

/** Nanoseconds of the day of the time in s[start..end), NaN when malformed. */
function parseTime(s: string, start: number, end: number): number {
  const len = end - start;
  if (len < 8 || s.charCodeAt(start + 2) !== 58 || s.charCodeAt(start + 5) !== 58) return NaN;
  const h = digitsAt(s, start, 2);
  const m = digitsAt(s, start + 3, 2);
  const sec = digitsAt(s, start + 6, 2);
  if (!(h <= 23 && m <= 59 && sec <= 59)) return NaN;
  let frac = 0;
  if (len > 8) {
    const fracDigits = len - 9;
    if (s.charCodeAt(start + 8) !== 46 || fracDigits < 1 || fracDigits > 9) return NaN;
    frac = digitsAt(s, start + 9, fracDigits) * 10 ** (9 - fracDigits);
  }
  return ((h * 60 + m) * 60 + sec) * 1e9 + frac;
}

/** The decimal value of `n` ASCII digits at `at`; NaN when one is not a digit. */
function digitsAt(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (!(d >= 0 && d <= 9)) return NaN;
    v = v * 10 + d;
  }
  return v;
}

function isLeap(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeap(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Proleptic Gregorian days since 1970-01-01, by 400-year eras with years starting in March. */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const marchMonth = month > 2 ? month - 3 : month + 9;
  const dayOfYear = Math.floor((153 * marchMonth + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

export function formatDate(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const marchMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * marchMonth + 2) / 5) + 1;
  const month = marchMonth < 10 ? marchMonth + 3 : marchMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const y = year >= 0 && year <= 9999 ? pad(year, 4) : (year < 0 ? '-' : '+') + pad(Math.abs(year), 6);
  return `${y}-${pad(month, 2)}-${pad(day, 2)}`;
}

export function formatTime(nanos: number): string {
  const secs = Math.floor(nanos / 1e9);
  const frac = nanos - secs * 1e9;
  let s = `${pad(Math.floor(secs / 3600), 2)}:${pad(Math.floor(secs / 60) % 60, 2)}:${pad(secs % 60, 2)}`;
  if (frac > 0) {
    const f = pad(frac, 9);
    let n = 9;
    while (f.charCodeAt(n - 1) === 48) n--;
    s += `.${f.slice(0, n)}`;
  }
  return s;
}

function pad(v: number, n: number): string {
  return String(v).padStart(n, '0');
}

/** 6 bytes big-endian, unsigned (nanos of day < 2^47). */
export function writeNanosOfDay(buf: Uint8Array, pos: number, nanos: number): number {
  const hi = Math.floor(nanos / TWO_32);
  const lo = nanos - hi * TWO_32;
  buf[pos] = hi >>> 8;
  buf[pos + 1] = hi & 0xff;
  buf[pos + 2] = lo >>> 24;
  buf[pos + 3] = (lo >>> 16) & 0xff;
  buf[pos + 4] = (lo >>> 8) & 0xff;
  buf[pos + 5] = lo & 0xff;
  return pos + 6;
}

export function readNanosOfDay(buf: Uint8Array, pos: number): number {
  const hi = (buf[pos]! << 8) | buf[pos + 1]!;
  const lo = ((buf[pos + 2]! << 24) | (buf[pos + 3]! << 16) | (buf[pos + 4]! << 8) | buf[pos + 5]!) >>> 0;
  return hi * TWO_32 + lo;
}
