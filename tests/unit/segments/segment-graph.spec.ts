import { expandedConditionCount, findCycle, referencedSegments } from '@ce/segments';

const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const B = 'bbbbbbbb-0000-4000-8000-000000000002';
const C = 'cccccccc-0000-4000-8000-000000000003';
const D = 'dddddddd-0000-4000-8000-000000000004';

const score = { field: 'score', op: 'gt', value: 1 };

describe('referencedSegments', () => {
  it('lists each referenced segment once, lower-cased, in order, at any depth', () => {
    const definition = {
      all: [{ inSegment: B.toUpperCase() }, { any: [score, { not: { inSegment: C } }] }, { inSegment: B }],
    };
    expect(referencedSegments(definition)).toEqual([B, C]);
  });

  it('finds nothing in a definition without references, or in junk', () => {
    expect(referencedSegments(score)).toEqual([]);
    expect(referencedSegments(null)).toEqual([]);
    expect(referencedSegments({ all: 'x' })).toEqual([]);
  });
});

describe('findCycle', () => {
  const graph = (definitions: Record<string, unknown>) => (id: string) => definitions[id] ?? null;

  it('finds A → B → A when A is about to include B, which includes A', () => {
    expect(findCycle(A, graph({ [A]: { inSegment: B }, [B]: { all: [score, { inSegment: A }] } }))).toEqual([A, B, A]);
  });

  it('finds a segment that includes itself', () => {
    expect(findCycle(A, graph({ [A]: { any: [score, { inSegment: A }] } }))).toEqual([A, A]);
  });

  it('finds a longer cycle and reports it from where it closes', () => {
    const load = graph({ [A]: { inSegment: B }, [B]: { inSegment: C }, [C]: { not: { inSegment: B } } });
    expect(findCycle(A, load)).toEqual([B, C, B]);
  });

  it('accepts a diamond (two paths to the same segment) and static or unknown segments', () => {
    const load = graph({
      [A]: { all: [{ inSegment: B }, { inSegment: C }] },
      [B]: { inSegment: D },
      [C]: { inSegment: D },
      [D]: score,
    });
    expect(findCycle(A, load)).toBeNull();
    expect(findCycle(A, graph({ [A]: { inSegment: B } }))).toBeNull();
  });
});

describe('expandedConditionCount', () => {
  it('counts the conditions of referenced dynamic segments as often as they are referenced', () => {
    const definitions: Record<string, unknown> = { [B]: { all: [score, score] }, [C]: { inSegment: B } };
    const load = (id: string) => definitions[id] ?? null;
    // all + B's three + C → B's three + static D (one)
    expect(expandedConditionCount({ all: [{ inSegment: B }, { inSegment: C }, { inSegment: D }] }, load)).toBe(1 + 3 + 3 + 1);
  });

  it('counts a cycle once rather than forever', () => {
    const definitions: Record<string, unknown> = { [A]: { not: { inSegment: B } }, [B]: { inSegment: A } };
    // A's not + (B → A again, counted as one)
    expect(expandedConditionCount({ inSegment: A }, (id) => definitions[id] ?? null)).toBe(2);
  });
});
