/** Index descriptor builders for the suites (ids are fresh per call unless given). */
import type { ColumnType } from '../../../src/domain/storage/column-type';
import type {
  HashIndexColumn, HashIndexDescriptor, SortedIndexColumn, SortedIndexDescriptor,
} from '../../../src/domain/storage/index-descriptors';

let nextIndexId = 1_000;

export interface ColumnSpec {
  readonly type: ColumnType;
  readonly asc?: boolean;
  readonly nullsFirst?: boolean;
  readonly nullable?: boolean;
}

/** Informative sizes (not enforced by the storage, §6.1) so that every type has what it "needs". */
function sizes(type: ColumnType): Pick<SortedIndexColumn, 'precision' | 'scale' | 'length'> {
  switch (type) {
    case 'DECIMAL': return { precision: 40, scale: 10 };
    case 'STRING': case 'BYTES': return { length: 1 << 20 };
    case 'TIME': case 'DATETIME': case 'TIMESTAMP': return { precision: 9 };
    default: return {};
  }
}

export function sortedColumn(spec: ColumnSpec, i: number): SortedIndexColumn {
  const col: SortedIndexColumn = {
    name: `C${i}_${spec.type}`, type: spec.type, nullable: spec.nullable ?? true, asc: spec.asc ?? true, ...sizes(spec.type),
  };
  return spec.nullsFirst === undefined ? col : { ...col, nullsFirst: spec.nullsFirst };
}

export function sortedIndex(columns: ReadonlyArray<ColumnSpec | ColumnType>, opts: { id?: number; primary?: boolean } = {}): SortedIndexDescriptor {
  const specs = columns.map((c) => (typeof c === 'string' ? { type: c } : c));
  return { id: opts.id ?? nextIndexId++, columns: specs.map(sortedColumn), primary: opts.primary ?? false };
}

export function hashIndex(columns: ReadonlyArray<ColumnSpec | ColumnType>, opts: { id?: number; primary?: boolean } = {}): HashIndexDescriptor {
  const cols: HashIndexColumn[] = columns.map((c, i) => {
    const spec = typeof c === 'string' ? { type: c } : c;
    return { name: `C${i}_${spec.type}`, type: spec.type, nullable: spec.nullable ?? true, ...sizes(spec.type) };
  });
  return { id: opts.id ?? nextIndexId++, columns: cols, primary: opts.primary ?? false };
}
