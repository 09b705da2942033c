import { describe, expect, it } from 'vitest';
import { ConfigSyntaxError } from '../../../../src/application/config/config-syntax-error';
import { parseKeyPath, parseUpdate, type UpdateEntry, type UpdateValue } from '../../../../src/application/config/update-parser';
import { ConfigParseError } from '../../../../src/domain/shared/errors';

/** The update flattened to `key=text` lines (blocks expanded, empty blocks as `key={}`), for compact assertions. */
function flat(input: string): string[] {
  const out: string[] = [];
  const visit = (prefix: readonly string[], entry: UpdateEntry): void => {
    const key = [...prefix, ...entry.key];
    const value: UpdateValue = entry.value;
    if (value.kind === 'text') out.push(`${key.join('.')}=${value.text}`);
    else if (value.entries.length === 0) out.push(`${key.join('.')}={}`);
    else for (const child of value.entries) visit(key, child);
  };
  for (const entry of parseUpdate(input)) visit([], entry);
  return out;
}

function syntaxError(input: string): ConfigSyntaxError {
  try {
    parseUpdate(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigSyntaxError);
    expect(error).toBeInstanceOf(ConfigParseError);
    expect((error as ConfigSyntaxError).code).toBe('CONFIG_PARSE');
    return error as ConfigSyntaxError;
  }
  throw new Error(`expected a syntax error for ${input}`);
}

describe('update parser: accepted forms', () => {
  it('parses the key=value form of the spec verbatim', () => {
    expect(flat('ignite.storage.engines.aimem.pageSizeBytes=8192')).toEqual(['ignite.storage.engines.aimem.pageSizeBytes=8192']);
    expect(flat('ignite.storage.engines.aipersist.checkpoint.intervalMillis=120000')).toEqual([
      'ignite.storage.engines.aipersist.checkpoint.intervalMillis=120000',
    ]);
  });

  it('parses the profile block form of the spec verbatim', () => {
    expect(flat('ignite.storage.profiles:{cache_profile{engine:aimem,maxSizeBytes:1073741824}}')).toEqual([
      'ignite.storage.profiles.cache_profile.engine=aimem',
      'ignite.storage.profiles.cache_profile.maxSizeBytes=1073741824',
    ]);
    expect(flat('ignite.storage.profiles:{persistent_profile{engine:aipersist,sizeBytes:2147483648}}')).toEqual([
      'ignite.storage.profiles.persistent_profile.engine=aipersist',
      'ignite.storage.profiles.persistent_profile.sizeBytes=2147483648',
    ]);
  });

  it('parses several profiles in one block', () => {
    expect(flat('ignite.storage.profiles:{a{engine:aimem},b{engine:aipersist,sizeBytes:2147483648}}')).toEqual([
      'ignite.storage.profiles.a.engine=aimem',
      'ignite.storage.profiles.b.engine=aipersist',
      'ignite.storage.profiles.b.sizeBytes=2147483648',
    ]);
  });

  it('accepts key:value for scalars and key=value inside blocks', () => {
    expect(flat('ignite.storage.engines.aimem.pageSizeBytes:4096')).toEqual(['ignite.storage.engines.aimem.pageSizeBytes=4096']);
    expect(flat('ignite.storage.profiles={p={engine=aimem}}')).toEqual(['ignite.storage.profiles.p.engine=aimem']);
  });

  it('separates entries by commas, whitespace or newlines, and allows a trailing comma', () => {
    expect(flat('a.b=1,c.d=2')).toEqual(['a.b=1', 'c.d=2']);
    expect(flat('a.b=1 c.d=2\n\te.f:3')).toEqual(['a.b=1', 'c.d=2', 'e.f=3']);
    expect(flat(' a.b = 1 , c.d : 2 , ')).toEqual(['a.b=1', 'c.d=2']);
    expect(flat('p:{ a { x: 1 }\n b { y: 2 } }')).toEqual(['p.a.x=1', 'p.b.y=2']);
  });

  it('takes quoted values and quoted key segments, with escapes', () => {
    expect(flat('a.syncMode="background"')).toEqual(['a.syncMode=background']);
    expect(flat('ignite.storage.profiles."my.profile 1".engine="aimem"')).toEqual([
      'ignite.storage.profiles.my.profile 1.engine=aimem',
    ]);
    const [entry] = parseUpdate('ignite.storage.profiles."my.profile 1".engine=x');
    expect(entry!.key).toEqual(['ignite', 'storage', 'profiles', 'my.profile 1', 'engine']);
    expect(flat('k="a \\"b\\" \\\\ \\u0041 {,=:}"')).toEqual(['k=a "b" \\ A {,=:}']);
  });

  it('keeps values with dots, signs and suffixes as one text', () => {
    expect(flat('a=1.5 b=-5 c=512MB d=x.y.z')).toEqual(['a=1.5', 'b=-5', 'c=512MB', 'd=x.y.z']);
  });

  it('accepts an outer block and nested sections', () => {
    expect(flat('{ignite{storage{engines{aimem{pageSizeBytes=8192}}}}}')).toEqual(['ignite.storage.engines.aimem.pageSizeBytes=8192']);
    expect(flat('ignite.storage.profiles:{p{}}')).toEqual(['ignite.storage.profiles.p={}']);
  });

  it('parses key paths for show', () => {
    expect(parseKeyPath('ignite.storage.profiles.cache_profile')).toEqual(['ignite', 'storage', 'profiles', 'cache_profile']);
    expect(parseKeyPath('ignite.storage.profiles."a b".maxSizeBytes')).toEqual(['ignite', 'storage', 'profiles', 'a b', 'maxSizeBytes']);
    expect(() => parseKeyPath('ignite.storage=1')).toThrow(ConfigSyntaxError);
    expect(() => parseKeyPath('ignite..storage')).toThrow('Cannot parse configuration path at column 8');
  });
});

describe('update parser: errors give the position and what was expected', () => {
  it('rejects an empty update', () => {
    const error = syntaxError('   ');
    expect(error.position).toBe(3);
    expect(error.expected).toContain('a key');
    expect(error.found).toBe('end of input');
  });

  it('reports a missing value at the end', () => {
    const error = syntaxError('ignite.storage.engines.aimem.pageSizeBytes=');
    expect(error.position).toBe(43);
    expect(error.column).toBe(44);
    expect(error.message).toContain('column 44');
    expect(error.message).toContain('expected a value');
    expect(error.message).toContain('found end of input');
  });

  it('reports a missing separator after a key', () => {
    const error = syntaxError('ignite.storage}');
    expect(error.position).toBe(14);
    expect(error.expected).toContain("'=', ':' or '{'");
    expect(error.found).toBe("'}'");
  });

  it('reports an unclosed block', () => {
    const error = syntaxError('ignite.storage.profiles:{a{engine:aimem}');
    expect(error.position).toBe(40);
    expect(error.expected).toContain("'}'");
  });

  it('reports an unbalanced closing brace at the top level', () => {
    const error = syntaxError('a=1}');
    expect(error.position).toBe(3);
    expect(error.expected).toContain('end of input');
  });

  it('reports two commas in a row', () => {
    const error = syntaxError('a=1,,b=2');
    expect(error.position).toBe(4);
    expect(error.expected).toBe('a key');
    expect(error.found).toBe("','");
  });

  it('reports whitespace inside a key', () => {
    const error = syntaxError('ignite. storage=1');
    expect(error.position).toBe(8);
    expect(error.expected).toContain("right after '.'");
  });

  it('reports an unterminated string at the end, naming where it opened', () => {
    const error = syntaxError('a="abc');
    expect(error.position).toBe(6);
    expect(error.expected).toContain('column 3');
  });

  it('reports a bad escape', () => {
    const error = syntaxError('a="x\\qy"');
    expect(error.position).toBe(4);
    expect(error.found).toBe("'\\q'");
  });

  it('reports lists and single quotes with a hint', () => {
    const list = syntaxError('ignite.storage.profiles:[{name:a}]');
    expect(list.position).toBe(24);
    expect(list.message).toContain('Lists are not supported');
    const quote = syntaxError("a='x'");
    expect(quote.position).toBe(2);
    expect(quote.message).toContain('double quotes');
  });

  it('puts a caret under the offending character', () => {
    const error = syntaxError('a.b=1 c.d');
    const lines = error.message.split('\n');
    expect(lines[1]).toBe('  a.b=1 c.d');
    expect(lines[2]).toBe(`  ${' '.repeat(9)}^`);
  });
});
