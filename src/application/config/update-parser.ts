/**
 * Parser of `config update` strings. Accepted syntax (a small subset of HOCON):
 *
 *   update    := entries  |  '{' entries '}'
 *   entries   := entry ( separator entry )* [ ',' ]        at least one entry at the top level
 *   separator := ','  |  whitespace (spaces, tabs, newlines)
 *   entry     := key ( '=' | ':' ) value  |  key block
 *   key       := segment ( '.' segment )*                  no whitespace inside a key
 *   segment   := word  |  quoted
 *   value     := block  |  quoted  |  text
 *   text      := word ( '.' word )*                        no whitespace inside: 8192, 1GB, -5, 1.5, fsync
 *   block     := '{' [ entries ] '}'                       may be empty; its keys are relative to its key
 *   word      := one or more characters other than whitespace and  { } [ ] , = : . " '
 *   quoted    := "..." with JSON escapes  \" \\ \/ \b \f \n \r \t \uXXXX
 *   Whitespace is also allowed around '=', ':', '{', '}' and ','.
 *
 * Examples, all accepted:
 *   ignite.storage.engines.aimem.pageSizeBytes=8192
 *   ignite.storage.engines.aipersist.checkpoint.intervalMillis=120000
 *   ignite.storage.engines.aipersist.checkpoint.intervalMillis:120000
 *   ignite.storage.profiles:{cache_profile{engine:aimem,maxSizeBytes:1073741824}}
 *   ignite.storage.profiles:{a{engine:aimem},b{engine:aipersist,sizeBytes:2147483648}}
 *   ignite.storage.profiles.cache_profile.maxSizeBytes=2GB
 *   ignite.storage.engines.aipersist.deltaLog.syncMode="background", ignite.storage.engines.aimem.pageSizeBytes=4KiB
 *   ignite.storage.engines.aimem.pageSizeBytes=8192 ignite.storage.engines.aipersist.pageSizeBytes=8192
 *   ignite.storage.profiles."my profile".engine=aimem
 *   {ignite{storage{engines{aimem{pageSizeBytes=8192}}}}}
 *
 * Meaning (update-applier.ts): a block is the same as writing each entry inside it with the block's key as a
 * prefix — `a:{b{c:1}}` is `a.b.c=1`; a later entry for the same key wins. Values are text, quoted or not, and
 * the key decides the type: integers (`8192`, `-5`), byte sizes with binary suffixes on `*Bytes` keys (`512MB`,
 * `1GB`, `64KiB`; see config-value-text.ts), enumeration names (`fsync`, `CLOCK`; case-sensitive).
 * `ignite.storage.profiles.<name>` is a profile: its keys merge into the existing profile of that name, or
 * create one (which then needs `engine`). Not accepted: lists `[...]`, comments, single quotes, keys or values
 * containing whitespace or punctuation unless quoted. Anything else is a ConfigSyntaxError (code CONFIG_PARSE)
 * giving the column and what was expected there.
 */
import { ConfigSyntaxError } from './config-syntax-error';
import { tokenize, type Token } from './update-tokenizer';

export interface TextValue {
  readonly kind: 'text';
  readonly text: string;
  readonly pos: number;
}

export interface BlockValue {
  readonly kind: 'block';
  readonly entries: readonly UpdateEntry[];
  readonly pos: number;
}

export type UpdateValue = TextValue | BlockValue;

export interface UpdateEntry {
  readonly key: readonly string[];
  readonly value: UpdateValue;
}

/** Deepest block nesting accepted (the deepest real key has 6 segments); deeper input is refused, not recursed into. */
const MAX_BLOCK_DEPTH = 32;

const LIST_HINT = 'Lists are not supported: write profiles as ignite.storage.profiles:{name{engine:aimem,...}}.';

function describeToken(token: Token): string {
  if (token.kind === 'end') return 'end of input';
  if (token.kind === 'string') return JSON.stringify(token.text);
  return `'${token.text}'`;
}

class UpdateParser {
  readonly #input: string;
  readonly #subject: string;
  readonly #tokens: Token[];
  #index = 0;
  #depth = 0;

  constructor(input: string, subject: string) {
    this.#input = input;
    this.#subject = subject;
    this.#tokens = tokenize(input);
  }

  /** A method, not a getter: TypeScript would keep a narrowed kind across calls that advance. */
  #peek(): Token {
    return this.#tokens[this.#index]!;
  }

  #fail(expected: string, hint = ''): never {
    const token = this.#peek();
    throw new ConfigSyntaxError(this.#input, token.pos, expected, describeToken(token), hint, this.#subject);
  }

  parseUpdate(): UpdateEntry[] {
    if (this.#peek().kind === '{') {
      const block = this.#parseBlock();
      if (this.#peek().kind !== 'end') this.#fail('end of input after the closing \'}\'');
      return [...block.entries];
    }
    if (this.#peek().kind === 'end') this.#fail('a key such as ignite.storage.engines.aimem.pageSizeBytes=8192');
    return this.#parseEntries('end');
  }

  parseKeyOnly(): string[] {
    const key = this.#parseKey();
    if (this.#peek().kind !== 'end') this.#fail("'.' and a key segment, or end of input");
    return key;
  }

  #parseEntries(terminator: '}' | 'end'): UpdateEntry[] {
    const entries: UpdateEntry[] = [];
    const closing = terminator === 'end' ? 'end of input' : "'}'";
    if (this.#peek().kind === terminator) return entries;
    entries.push(this.#parseEntry());
    for (;;) {
      const token = this.#peek();
      if (token.kind === terminator) return entries;
      if (token.kind === ',') {
        this.#index++;
        if (this.#peek().kind === terminator) return entries;
      } else if (!token.spaced || token.kind === 'end' || token.kind === '}') {
        this.#fail(`',' or ${closing} after the value`);
      }
      entries.push(this.#parseEntry());
    }
  }

  #parseEntry(): UpdateEntry {
    const key = this.#parseKey();
    const token = this.#peek();
    if (token.kind === '{') return { key, value: this.#parseBlock() };
    if (token.kind !== '=' && token.kind !== ':') this.#fail(`'=', ':' or '{' after the key ${key.join('.')}`);
    this.#index++;
    return { key, value: this.#parseValue() };
  }

  #parseKey(): string[] {
    const segments = [this.#parseSegment('a key')];
    while (this.#peek().kind === '.' && !this.#peek().spaced) {
      this.#index++;
      if (this.#peek().spaced) this.#fail("a key segment right after '.' (no whitespace inside a key)");
      segments.push(this.#parseSegment("a key segment after '.'"));
    }
    return segments;
  }

  #parseSegment(expected: string): string {
    const token = this.#peek();
    if (token.kind !== 'word' && token.kind !== 'string') this.#fail(expected, token.kind === '[' ? LIST_HINT : '');
    this.#index++;
    return token.text;
  }

  #parseValue(): UpdateValue {
    const token = this.#peek();
    if (token.kind === '{') return this.#parseBlock();
    if (token.kind === 'string') {
      this.#index++;
      return { kind: 'text', text: token.text, pos: token.pos };
    }
    if (token.kind !== 'word') {
      this.#fail('a value (a number, a word, a "quoted string" or a {block})', token.kind === '[' ? LIST_HINT : '');
    }
    this.#index++;
    let text = token.text;
    while (this.#peek().kind === '.' && !this.#peek().spaced) {
      this.#index++;
      const next = this.#peek();
      if (next.kind !== 'word' || next.spaced) this.#fail("digits or a word right after '.' in the value");
      this.#index++;
      text += `.${next.text}`;
    }
    return { kind: 'text', text, pos: token.pos };
  }

  #parseBlock(): BlockValue {
    const open = this.#peek();
    if (this.#depth === MAX_BLOCK_DEPTH) this.#fail(`a value: blocks may nest at most ${MAX_BLOCK_DEPTH} deep`);
    this.#index++;
    this.#depth++;
    const entries = this.#parseEntries('}');
    if (this.#peek().kind !== '}') this.#fail("'}' to close the block");
    this.#index++;
    this.#depth--;
    return { kind: 'block', entries, pos: open.pos };
  }
}

/** The entries of an update string; throws ConfigSyntaxError. */
export function parseUpdate(input: string): UpdateEntry[] {
  return new UpdateParser(input, 'configuration update').parseUpdate();
}

/** The segments of a key path such as `ignite.storage.profiles."my profile".maxSizeBytes`. */
export function parseKeyPath(input: string): string[] {
  return new UpdateParser(input, 'configuration path').parseKeyOnly();
}
