import { describe, expect, it } from 'vitest';
import { REGION_SIZE, ENGINES_SCHEMA, type LeafSpec, type SectionSpec } from '../../../../src/application/config/config-schema';
import { parseSize, valueFromText } from '../../../../src/application/config/config-value-text';

const aipersist = ENGINES_SCHEMA.keys['aipersist'] as SectionSpec;
const checkpoint = aipersist.keys['checkpoint'] as SectionSpec;
const INTERVAL = checkpoint.keys['intervalMillis'] as LeafSpec;
const SYNC_MODE = (aipersist.keys['deltaLog'] as SectionSpec).keys['syncMode'] as LeafSpec;

describe('size suffixes (binary, 1024-based, case-insensitive)', () => {
  it.each([
    ['512B', 512],
    ['64K', 64 * 1024],
    ['64KB', 64 * 1024],
    ['64KiB', 64 * 1024],
    ['64kib', 64 * 1024],
    ['512M', 512 * 1024 ** 2],
    ['512MB', 512 * 1024 ** 2],
    ['512mb', 512 * 1024 ** 2],
    ['512MiB', 512 * 1024 ** 2],
    ['1G', 1024 ** 3],
    ['1GB', 1024 ** 3],
    ['2GiB', 2 * 1024 ** 3],
    ['1TB', 1024 ** 4],
    ['3TiB', 3 * 1024 ** 4],
  ])('%s = %d bytes', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
    expect(valueFromText(REGION_SIZE, text)).toBe(bytes);
  });

  it('refuses unknown units, fractions and spaces', () => {
    expect(parseSize('5XB')).toBeNull();
    expect(parseSize('1.5GB')).toBeNull();
    expect(parseSize('1 GB')).toBeNull();
    expect(parseSize('GB')).toBeNull();
    expect(valueFromText(REGION_SIZE, '1.5GB')).toBe('1.5GB');
  });

  it('applies suffixes only to byte-size keys', () => {
    expect(valueFromText(INTERVAL, '5MB')).toBe('5MB');
    expect(valueFromText(INTERVAL, '120000')).toBe(120000);
  });
});

describe('typing update text by the key', () => {
  it('reads integers, fractions, negatives and booleans for numeric keys', () => {
    expect(valueFromText(INTERVAL, '-5')).toBe(-5);
    expect(valueFromText(INTERVAL, '1.5')).toBe(1.5);
    expect(valueFromText(INTERVAL, 'true')).toBe(true);
    expect(valueFromText(INTERVAL, 'abc')).toBe('abc');
  });

  it('keeps enumeration values and unknown keys as text', () => {
    expect(valueFromText(SYNC_MODE, 'fsync')).toBe('fsync');
    expect(valueFromText(SYNC_MODE, '1')).toBe('1');
    expect(valueFromText(null, '8192')).toBe('8192');
  });
});
