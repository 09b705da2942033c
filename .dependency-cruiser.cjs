/**
 * Import direction of STYLE.md, enforced in CI (`npm run lint:deps`). A violation fails the run.
 * domain -> domain only (rxjs only in the aggregate folders) · application -> domain, application (+ rxjs)
 * infrastructure -> domain, application, node:*, msgpackr · interfaces -> anything
 * only src/interfaces/composition imports inversify · src never imports test · no cycles ·
 * the main entry (src/interfaces/api/index.ts) re-exports no internals (container, tokens, ports, page memory).
 */
const AGGREGATES = '^src/domain/(region|partition|checkpoint)/';
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', from: {}, to: { circular: true } },
    { name: 'src-not-to-test', severity: 'error', from: { path: '^src/' }, to: { path: '^(test|bench)/' } },
    {
      name: 'domain-only-domain', severity: 'error',
      comment: 'domain imports nothing outside domain (rxjs only in aggregate folders)',
      from: { path: '^src/domain/' },
      to: { pathNot: ['^src/domain/', '(^|/)node_modules/rxjs/', '^rxjs$'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'domain-no-node-modules', severity: 'error',
      from: { path: '^src/domain/', pathNot: AGGREGATES },
      to: { path: ['(^|/)node_modules/', '^(node:)?[a-z_]+$'] },
    },
    {
      name: 'domain-aggregates-only-rxjs', severity: 'error',
      from: { path: AGGREGATES },
      to: { path: ['(^|/)node_modules/', '^(node:)?[a-z_]+$'], pathNot: '(^|/)node_modules/rxjs/' },
    },
    {
      name: 'application-inward-only', severity: 'error',
      from: { path: '^src/application/' },
      to: { path: '^src/(infrastructure|interfaces)/' },
    },
    {
      name: 'application-no-node-modules-but-rxjs', severity: 'error',
      from: { path: '^src/application/' },
      to: { path: ['(^|/)node_modules/', '^(node:)?[a-z_]+$'], pathNot: '(^|/)node_modules/rxjs/' },
    },
    {
      name: 'infrastructure-not-interfaces', severity: 'error',
      from: { path: '^src/infrastructure/' },
      to: { path: '^src/interfaces/' },
    },
    {
      name: 'infrastructure-packages', severity: 'error',
      comment: 'infrastructure may use node:* and msgpackr (and rxjs for event types)',
      from: { path: '^src/infrastructure/' },
      to: { path: '(^|/)node_modules/', pathNot: '(^|/)node_modules/(msgpackr|rxjs)/' },
    },
    {
      name: 'inversify-only-in-composition', severity: 'error',
      from: { pathNot: '^src/interfaces/composition/' },
      to: { path: '(^|/)node_modules/(inversify|@inversifyjs)/' },
    },
    {
      name: 'public-entry-no-internals', severity: 'error',
      comment: 'the main entry (package ".") exports no container, tokens, ports, page memory or page ids (type-only re-exports included); those go through src/interfaces/api/testing.ts',
      from: { path: '^src/interfaces/api/index\\.ts$' },
      to: { path: ['^src/interfaces/composition/', '^src/domain/ports/', '^src/domain/page-memory/', '^src/domain/page/', '(^|/)node_modules/(inversify|@inversifyjs)/'] },
    },
    { name: 'no-unresolvable', severity: 'error', from: {}, to: { couldNotResolve: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // inversify 8 is ESM-only (its exports have only an "import" condition); Node >= 20.19 loads it from CommonJS.
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['require', 'import', 'node', 'default', 'types'] },
  },
};
