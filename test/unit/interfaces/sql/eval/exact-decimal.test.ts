/**
 * The exact decimal: parsing, canonical text, exact + − × %, HALF_UP division and rounding, floor/ceil.
 */
import { describe, expect, it } from 'vitest';
import {
  addExact, compareExact, divideExact, exactOfNumber, floorOrCeilExact, formatExact, integerDigits, multiplyExact,
  parseExact, remainderExact, roundExact, subtractExact,
} from '../../../../../src/interfaces/sql/eval/exact-decimal';

const d = (s: string) => {
  const v = parseExact(s);
  if (v === null) throw new Error(`not a decimal: ${s}`);
  return v;
};
const f = formatExact;

describe('ExactDecimal', () => {
  it('parses decimal text, exponents included, and refuses anything else', () => {
    expect(f(d('-12.50'))).toBe('-12.50');
    expect(f(d('.5'))).toBe('0.5');
    expect(f(d('1e3'))).toBe('1000');
    expect(f(d('2.5E-1'))).toBe('0.25');
    expect(f(d('+7'))).toBe('7');
    expect(f(d('-0.00'))).toBe('0.00');
    for (const bad of ['', '-', '.', '1.2.3', '1e', 'abc', ' 1', '1 ', '1e999999']) expect(parseExact(bad), bad).toBeNull();
  });

  it('takes numbers by their printed decimal', () => {
    expect(f(exactOfNumber(0.1)!)).toBe('0.1');
    expect(f(exactOfNumber(1e21)!)).toBe('1000000000000000000000');
    expect(f(exactOfNumber(-1.5e-7)!)).toBe('-0.00000015');
    expect(exactOfNumber(NaN)).toBeNull();
    expect(exactOfNumber(Infinity)).toBeNull();
  });

  it('adds, subtracts and multiplies exactly', () => {
    expect(f(addExact(d('0.1'), d('0.2')))).toBe('0.3');
    expect(f(subtractExact(d('1'), d('0.001')))).toBe('0.999');
    expect(f(multiplyExact(d('-1.5'), d('0.02')))).toBe('-0.030');
    expect(f(addExact(d('99999999999999999999.99'), d('0.01')))).toBe('100000000000000000000.00');
    expect(f(remainderExact(d('-7.5'), d('2')))).toBe('-1.5');
  });

  it('divides and rounds HALF_UP (away from zero on a tie)', () => {
    expect(f(divideExact(d('1'), d('3'), 6))).toBe('0.333333');
    expect(f(divideExact(d('2'), d('3'), 2))).toBe('0.67');
    expect(f(divideExact(d('-2'), d('3'), 2))).toBe('-0.67');
    expect(f(divideExact(d('1'), d('8'), 2))).toBe('0.13');
    expect(f(divideExact(d('-1'), d('8'), 2))).toBe('-0.13');
    expect(f(divideExact(d('1'), d('-8'), 2))).toBe('-0.13');
    expect(f(divideExact(d('100.00'), d('0.3'), 0))).toBe('333');
    expect(f(roundExact(d('2.5'), 0))).toBe('3');
    expect(f(roundExact(d('-2.5'), 0))).toBe('-3');
    expect(f(roundExact(d('2.49'), 0))).toBe('2');
    expect(f(roundExact(d('1.5'), 3))).toBe('1.500');
    expect(f(roundExact(d('1250'), -2))).toBe('1300');
    expect(f(roundExact(d('-1249'), -2))).toBe('-1200');
  });

  it('floors, ceils, compares and counts integer digits', () => {
    expect(f(floorOrCeilExact(d('-1.5'), false))).toBe('-2');
    expect(f(floorOrCeilExact(d('-1.5'), true))).toBe('-1');
    expect(f(floorOrCeilExact(d('1.5'), false))).toBe('1');
    expect(f(floorOrCeilExact(d('1.5'), true))).toBe('2');
    expect(f(floorOrCeilExact(d('2.00'), true))).toBe('2');
    expect(compareExact(d('1.50'), d('1.5'))).toBe(0);
    expect(compareExact(d('-0.01'), d('0'))).toBe(-1);
    expect(compareExact(d('10'), d('9.999'))).toBe(1);
    expect(integerDigits(d('123.45'))).toBe(3);
    expect(integerDigits(d('0.5'))).toBe(0);
    expect(integerDigits(d('-10'))).toBe(2);
  });
});
