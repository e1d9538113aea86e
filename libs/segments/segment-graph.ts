import { isPlainObject } from './values';

/** The definition of a dynamic segment, or null for a static or unknown one. */
export type DefinitionLoader = (segmentId: string) => unknown;

/**
 * The ids of the segments a definition refers to through `inSegment`, lower-cased, each once,
 * in order of appearance. Tolerates definitions that have not been validated.
 */
export function referencedSegments(definition: unknown): string[] {
  const found = new Set<string>();
  const todo: unknown[] = [definition];
  while (todo.length > 0) {
    const node = todo.pop();
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) todo.push(node[i]);
    } else if (isPlainObject(node)) {
      if (typeof node.inSegment === 'string') found.add(node.inSegment.toLowerCase());
      for (const key of ['all', 'any', 'not'] as const) if (key in node) todo.push(node[key]);
    }
  }
  return [...found];
}

/**
 * Looks for a chain of `inSegment` references that leads back to a segment already on it,
 * starting at `rootId` (whose definition `load` returns, the one about to be saved). Returns
 * the chain, e.g. `[A, B, A]`, or null when there is none.
 */
export function findCycle(rootId: string, load: DefinitionLoader): string[] | null {
  const done = new Set<string>();
  const onPath: string[] = [];

  const visit = (id: string): string[] | null => {
    const open = onPath.indexOf(id);
    if (open >= 0) return [...onPath.slice(open), id];
    if (done.has(id)) return null;
    onPath.push(id);
    for (const next of referencedSegments(load(id))) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    onPath.pop();
    done.add(id);
    return null;
  };
  return visit(rootId.toLowerCase());
}

/**
 * How many conditions a definition has once the dynamic segments it refers to are inlined
 * (each segment counted as often as it is referred to), so that nesting segments cannot
 * multiply a query past what PostgreSQL plans comfortably.
 */
export function expandedConditionCount(definition: unknown, load: DefinitionLoader): number {
  const sizes = new Map<string, number>();
  const visiting = new Set<string>();

  const sizeOfSegment = (id: string): number => {
    const known = sizes.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 1;
    const inner = load(id);
    if (inner === null || inner === undefined) return 1;
    visiting.add(id);
    const size = sizeOf(inner);
    visiting.delete(id);
    sizes.set(id, size);
    return size;
  };

  const sizeOf = (node: unknown): number => {
    if (!isPlainObject(node)) return 1;
    if (typeof node.inSegment === 'string') return sizeOfSegment(node.inSegment.toLowerCase());
    let total = 1;
    for (const key of ['all', 'any'] as const) {
      const list = node[key];
      if (Array.isArray(list)) for (const child of list) total += sizeOf(child);
    }
    if ('not' in node) total += sizeOf(node.not);
    return total;
  };
  return sizeOf(definition);
}
