/**
 * usesCurrentTime: a statement that reads CURRENT_DATE / TIME / TIMESTAMP anywhere (subqueries, CASE, IN lists, INSERT
 * values, ORDER BY) is not kept in the plan cache, since its plan holds the statement's time; others are.
 */
import { describe, expect, it } from 'vitest';
import { parseStatement } from '../../../../src/interfaces/sql/parse';
import { usesCurrentTime } from '../../../../src/interfaces/sql/plan/expr-text';

describe('usesCurrentTime', () => {
  it.each([
    'SELECT CURRENT_TIMESTAMP',
    'SELECT id FROM t WHERE ts < CURRENT_DATE',
    'SELECT id FROM t WHERE id IN (1, 2, (SELECT MAX(id) FROM u WHERE d = CURRENT_TIME))',
    'SELECT CASE WHEN a > 1 THEN CURRENT_DATE ELSE NULL END FROM t',
    'INSERT INTO t VALUES (1, CURRENT_TIMESTAMP)',
    'UPDATE t SET d = CURRENT_DATE WHERE id = 1',
    'SELECT id FROM t ORDER BY CAST(CURRENT_TIMESTAMP AS VARCHAR)',
  ])('finds it in %s', (text) => {
    expect(usesCurrentTime(parseStatement(text))).toBe(true);
  });

  it.each([
    'SELECT id FROM t WHERE id = 1',
    "SELECT 'currentDateTime', x'00ff', 12345678901234567890 FROM t",
    'SELECT id FROM t WHERE id IN (SELECT id FROM u) ORDER BY id DESC LIMIT 3',
    'DELETE FROM t WHERE id BETWEEN ? AND :hi',
  ])('finds none in %s', (text) => {
    expect(usesCurrentTime(parseStatement(text))).toBe(false);
  });
});
