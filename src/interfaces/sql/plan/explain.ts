/** EXPLAIN: a plan as indented lines, the root first, each input two spaces deeper (Trim, an internal step, is left out). */
import type { PlanNode, QueryPlan } from './plan-types';
import type { ChangePlan, InsertPlan } from './dml-planner';

export function planLines(node: PlanNode, depth = 0, out: string[] = []): string[] {
  if (node.kind === 'trim') return planLines(node.input, depth, out);
  out.push(`${'  '.repeat(depth)}${node.label}`);
  switch (node.kind) {
    case 'tableAccess': case 'rows': break;
    case 'join':
      planLines(node.left, depth + 1, out);
      planLines(node.right, depth + 1, out);
      break;
    default: planLines(node.input, depth + 1, out);
  }
  return out;
}

export function explainQuery(q: QueryPlan): string[] {
  return planLines(q.root);
}

export function explainInsert(p: InsertPlan): string[] {
  const head = `Insert(${p.table.name}, columns=[${p.targets.map((t) => t.name).join(', ')}])`;
  if (p.source.kind === 'values') return [head, `  Values(${p.source.rows.length} rows)`];
  return [head, ...planLines(p.source.query.root, 1)];
}

export function explainChange(p: ChangePlan): string[] {
  const head = p.kind === 'update' ? `Update(${p.table.name}, set=[${p.assignments.map((a) => a.column.name).join(', ')}])` : `Delete(${p.table.name})`;
  return [head, ...planLines(p.scan, 1)];
}
