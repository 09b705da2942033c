/**
 * Issue 9 item 12 (TSDoc half): every public type and SPI method has a doc comment, and every SPI method says which
 * errors it throws — in its own comment or in its interface's. Read with the TypeScript compiler API from the sources
 * (the files that make up the public surface of the storage SPI and the node).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/built-package';

const PUBLIC_FILES = [
  'src/domain/storage/storage-engine.api.ts', 'src/domain/storage/results.ts', 'src/domain/storage/index-descriptors.ts',
  'src/domain/storage/cursor.ts', 'src/domain/storage/binary-row.ts', 'src/domain/storage/row-id.ts',
  'src/domain/storage/hybrid-timestamp.ts', 'src/domain/region/region.ts', 'src/interfaces/api/partition-streams.ts',
  'src/interfaces/api/storage-node.ts',
];
/** The SPI interfaces whose every method must name its errors (here or in the interface's comment). */
const SPI_INTERFACES = ['StorageEngine', 'Locker', 'PartitionTimestampCursor', 'MvPartitionStorage', 'IndexStorage',
  'SortedIndexStorage', 'HashIndexStorage', 'MvTableStorage', 'Cursor', 'PeekCursor'];
/** Names an error: a class of the catalog, or the errors its interface lists. */
const NAMES_ERRORS = /[A-Z]\w*Error\b|errors (above|of )|state errors|Throws the /;

const docOf = (node: ts.Node): string =>
  ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc).map((d) => d.getFullText()).join('\n');

const isExported = (node: ts.Node): boolean =>
  ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

const isPublicMember = (m: ts.ClassElement | ts.TypeElement): boolean => {
  if (ts.isConstructorDeclaration(m) || ts.isIndexSignatureDeclaration(m)) return false;
  if (m.name !== undefined && ts.isPrivateIdentifier(m.name)) return false;
  const mods = ts.canHaveModifiers(m) ? (ts.getModifiers(m) ?? []) : [];
  return !mods.some((x) => x.kind === ts.SyntaxKind.PrivateKeyword || x.kind === ts.SyntaxKind.ProtectedKeyword);
};

interface Finding { readonly file: string; readonly name: string; readonly doc: string; readonly owner: string | null; readonly ownerDoc: string; readonly method: boolean }

/** Every exported declaration and every public member of an exported class or interface, with its doc comment. */
function declarations(file: string): Finding[] {
  const source = ts.createSourceFile(file, readFileSync(join(repoRoot, file), 'utf8'), ts.ScriptTarget.ES2022, true);
  const out: Finding[] = [];
  for (const st of source.statements) {
    if (!isExported(st)) continue;
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) out.push({ file, name: d.name.getText(), doc: docOf(st), owner: null, ownerDoc: '', method: false });
      continue;
    }
    const named = st as ts.DeclarationStatement;
    const name = named.name?.getText() ?? '?';
    out.push({ file, name, doc: docOf(st), owner: null, ownerDoc: '', method: false });
    if (!ts.isInterfaceDeclaration(st) && !ts.isClassDeclaration(st)) continue;
    const members: readonly (ts.ClassElement | ts.TypeElement)[] = st.members;
    // Overloads share one doc comment when the first signature has it.
    const seen = new Set<string>();
    for (const m of members) {
      if (!isPublicMember(m) || m.name === undefined) continue;
      const key = m.name.getText();
      const doc = docOf(m);
      if (seen.has(key) && doc === '') continue;
      seen.add(key);
      const method = ts.isMethodSignature(m) || ts.isMethodDeclaration(m);
      out.push({ file, name: `${name}.${key}`, doc, owner: name, ownerDoc: docOf(st), method });
    }
  }
  return out;
}

/** The names the package's main entry exports (src/interfaces/api/index.ts): the public ones. */
function publicNames(): Set<string> {
  const entry = 'src/interfaces/api/index.ts';
  const source = ts.createSourceFile(entry, readFileSync(join(repoRoot, entry), 'utf8'), ts.ScriptTarget.ES2022, true);
  const names = new Set<string>();
  for (const st of source.statements) {
    if (ts.isExportDeclaration(st) && st.exportClause !== undefined && ts.isNamedExports(st.exportClause)) {
      for (const e of st.exportClause.elements) names.add((e.propertyName ?? e.name).getText());
    }
  }
  return names;
}

const exported = publicNames();
const all = PUBLIC_FILES.flatMap(declarations).filter((d) => exported.has(d.owner ?? d.name));

describe('TSDoc of the public surface', () => {
  it('reads a sizeable surface (the parser found the declarations)', () => {
    expect(exported.size).toBeGreaterThan(40);
    expect(all.length).toBeGreaterThan(150);
    expect(all.map((d) => d.name)).toEqual(expect.arrayContaining(['MvPartitionStorage.addWriteCommitted', 'StorageNode.engine', 'RowId.random']));
  });

  it('has a doc comment on every exported declaration and public member', () => {
    expect(all.filter((d) => d.doc.trim() === '').map((d) => `${d.file}: ${d.name}`)).toEqual([]);
  });

  it('names the errors of every SPI method, in its comment or in its interface comment', () => {
    const spiMethods = all.filter((d) => d.method && d.owner !== null && SPI_INTERFACES.includes(d.owner));
    expect(spiMethods.length).toBeGreaterThan(50);
    expect(spiMethods.filter((d) => !NAMES_ERRORS.test(d.doc) && !NAMES_ERRORS.test(d.ownerDoc)).map((d) => d.name)).toEqual([]);
  });

  it('names the new errors where they are thrown: TABLE_EXISTS, COMMIT_TIMESTAMP_ORDER, OUTSIDE_CLOSURE', () => {
    const doc = (name: string): string => all.find((d) => d.name === name)?.doc ?? '';
    expect(doc('StorageEngine.createMvTable')).toMatch(/TableExistsError \(TABLE_EXISTS\)/);
    for (const m of ['MvPartitionStorage.addWriteCommitted', 'MvPartitionStorage.commitWrite']) {
      expect(doc(m)).toMatch(/CommitTimestampOrderError \(COMMIT_TIMESTAMP_ORDER\)/);
      expect(doc(m)).toMatch(/OutsideClosureError \(OUTSIDE_CLOSURE\)/);
    }
  });
});
