/**
 * CREATE / ALTER / DROP ZONE, each after its leading keyword (whose token gives the position). Both of Ignite 3's
 * forms are accepted: `WITH PARTITIONS=10, REPLICAS=2, STORAGE PROFILES ['p']` (the spec's) and
 * `(PARTITIONS 10, REPLICAS 2) STORAGE PROFILES ['p']`; also the older `WITH STORAGE_PROFILES='a,b'`.
 */
import type { IToken } from 'chevrotain';
import type { AlterZoneStatement, CreateZoneStatement, DropZoneStatement, ZoneOptions } from './ast';
import { Comma, Equals, K, LBracket, LParen, RBracket, RParen } from './lexer';
import { IndexDdlParser } from './index-rules';

type ZoneOption =
  | { readonly key: 'partitions' | 'replicas'; readonly value: number; readonly token: IToken }
  | { readonly key: 'storageProfiles'; readonly value: readonly string[]; readonly token: IToken };

const OPTION_NAMES = { partitions: 'PARTITIONS', replicas: 'REPLICAS', storageProfiles: 'STORAGE PROFILES' } as const;

export abstract class ZoneDdlParser extends IndexDdlParser {
  /** After CREATE: `ZONE [IF NOT EXISTS] z [(options)] [WITH options] [STORAGE PROFILES […]]`. */
  readonly createZoneBody = this.RULE('createZoneBody', (start?: IToken): CreateZoneStatement => {
    this.CONSUME(K.ZONE);
    const ifNotExists = this.ifNotExists();
    const name = this.SUBRULE(this.zoneName);
    const options: ZoneOption[] = [];
    this.OPTION(() => {
      this.CONSUME(LParen);
      const list = this.SUBRULE(this.zoneOptionList);
      this.ACTION(() => options.push(...list));
      this.CONSUME(RParen);
    });
    this.OPTION2(() => {
      this.CONSUME(K.WITH);
      const list = this.SUBRULE2(this.zoneOptionList);
      this.ACTION(() => options.push(...list));
    });
    this.OPTION3(() => options.push(this.SUBRULE(this.storageProfiles)));
    return this.ACTION((): CreateZoneStatement => ({
      kind: 'createZone', name, ifNotExists, options: this.merge(options), pos: this.posOf(start),
    }));
  });

  /** After ALTER: `ZONE [IF EXISTS] z SET (options)` or `… SET options`. */
  readonly alterZoneBody = this.RULE('alterZoneBody', (start?: IToken): AlterZoneStatement => {
    this.CONSUME(K.ZONE);
    const ifExists = this.ifExists();
    const name = this.SUBRULE(this.zoneName);
    this.CONSUME(K.SET);
    const options = this.OR([
      { ALT: () => {
        this.CONSUME(LParen);
        const list = this.SUBRULE(this.zoneOptionList);
        this.CONSUME(RParen);
        return list;
      } },
      { ALT: () => this.SUBRULE2(this.zoneOptionList) },
    ]);
    return this.ACTION(() => ({ kind: 'alterZone', name, ifExists, options: this.merge(options), pos: this.posOf(start) }));
  });

  /** After DROP: `ZONE [IF EXISTS] z`. */
  readonly dropZoneBody = this.RULE('dropZoneBody', (start?: IToken): DropZoneStatement => {
    this.CONSUME(K.ZONE);
    const ifExists = this.ifExists();
    const name = this.SUBRULE(this.zoneName);
    return { kind: 'dropZone', name, ifExists, pos: this.posOf(start) };
  });

  readonly zoneOptionList = this.RULE('zoneOptionList', (): ZoneOption[] => {
    const options = [this.SUBRULE(this.zoneOption)];
    this.MANY(() => {
      this.CONSUME(Comma);
      options.push(this.SUBRULE2(this.zoneOption));
    });
    return options;
  });

  /** `PARTITIONS [=] n`, `REPLICAS [=] n`, `STORAGE PROFILES [=] ['a', …]`, `STORAGE_PROFILES = 'a,b'`. */
  readonly zoneOption = this.RULE('zoneOption', (): ZoneOption => {
    return this.OR<ZoneOption>([
      { ALT: () => this.numberOption(K.PARTITIONS, 'partitions', 1) },
      { ALT: () => this.numberOption(K.REPLICAS, 'replicas', 2) },
      { ALT: () => this.SUBRULE(this.storageProfiles) },
      { ALT: () => {
        const token = this.CONSUME(K.STORAGE_PROFILES);
        this.OPTION3(() => this.CONSUME3(Equals));
        const list = this.SUBRULE(this.stringValue);
        return this.ACTION((): ZoneOption => ({
          key: 'storageProfiles', value: list.split(',').map((p) => p.trim()).filter((p) => p !== ''), token,
        }));
      } },
    ]);
  });

  private numberOption(keyword: typeof K.PARTITIONS, key: 'partitions' | 'replicas', occurrence: number): ZoneOption {
    const token = this.CONSUME(keyword);
    this.option(occurrence, () => this.consume(occurrence, Equals));
    return { key, value: this.subrule(occurrence, this.integerValue), token };
  }

  /** `STORAGE PROFILES [=] ['a', 'b']`. */
  readonly storageProfiles = this.RULE('storageProfiles', (): ZoneOption => {
    const token = this.CONSUME(K.STORAGE);
    this.CONSUME(K.PROFILES);
    this.OPTION(() => this.CONSUME(Equals));
    this.CONSUME(LBracket);
    const value = [this.SUBRULE(this.stringValue)];
    this.MANY(() => {
      this.CONSUME(Comma);
      value.push(this.SUBRULE2(this.stringValue));
    });
    this.CONSUME(RBracket);
    return { key: 'storageProfiles', value, token };
  });

  private merge(options: readonly ZoneOption[]): ZoneOptions {
    const merged: { -readonly [K in keyof ZoneOptions]: ZoneOptions[K] } = {};
    for (const option of options) {
      if (merged[option.key] !== undefined) {
        throw this.failAt(option.token, `Expected each zone option once but found ${OPTION_NAMES[option.key]} again`);
      }
      if (option.key === 'storageProfiles') merged.storageProfiles = option.value;
      else merged[option.key] = option.value;
    }
    return merged;
  }
}
