import { heldOutCount, splitTrainHeldOut } from '@ce/scoring/predictive';

interface Lead {
  id: number;
  label: 0 | 1;
}

// 30 converted leads and 70 that did not convert, interleaved.
const leads: Lead[] = Array.from({ length: 100 }, (_, id) => ({ id, label: id % 10 < 3 ? 1 : 0 }));
const ids = (rows: Lead[]) => rows.map((r) => r.id);

describe('splitTrainHeldOut', () => {
  it('splits the same rows the same way for the same seed', () => {
    const first = splitTrainHeldOut(leads, { seed: 'model-7' });
    const again = splitTrainHeldOut(leads, { seed: 'model-7' });
    expect(ids(again.heldOut)).toEqual(ids(first.heldOut));
    expect(ids(again.train)).toEqual(ids(first.train));
  });

  it('treats a number seed and its text as the same seed', () => {
    expect(ids(splitTrainHeldOut(leads, { seed: 42 }).heldOut)).toEqual(ids(splitTrainHeldOut(leads, { seed: '42' }).heldOut));
  });

  it('holds out different leads for a different seed', () => {
    const one = ids(splitTrainHeldOut(leads, { seed: 1 }).heldOut);
    const other = ids(splitTrainHeldOut(leads, { seed: 2 }).heldOut);
    expect(other).not.toEqual(one);
  });

  it('holds out a quarter of each class by default, rounded', () => {
    const { train, heldOut } = splitTrainHeldOut(leads);
    expect(heldOut.filter((r) => r.label === 1)).toHaveLength(8); // 30 × 0.25 = 7.5
    expect(heldOut.filter((r) => r.label === 0)).toHaveLength(18); // 70 × 0.25 = 17.5
    expect(train.filter((r) => r.label === 1)).toHaveLength(22);
    expect(train.filter((r) => r.label === 0)).toHaveLength(52);
  });

  it('keeps the conversion rate in both parts for another fraction', () => {
    const { train, heldOut } = splitTrainHeldOut(leads, { heldOutFraction: 0.2, seed: 'x' });
    expect(heldOut.filter((r) => r.label === 1)).toHaveLength(6);
    expect(heldOut.filter((r) => r.label === 0)).toHaveLength(14);
    expect(train).toHaveLength(80);
  });

  it('puts every lead in exactly one part, each part in the original order', () => {
    const { train, heldOut } = splitTrainHeldOut(leads, { seed: 'complete' });
    const trainIds = ids(train);
    const heldIds = ids(heldOut);
    expect(trainIds.filter((id) => heldIds.includes(id))).toEqual([]);
    expect([...trainIds, ...heldIds].sort((x, y) => x - y)).toEqual(ids(leads));
    expect(trainIds).toEqual([...trainIds].sort((x, y) => x - y));
    expect(heldIds).toEqual([...heldIds].sort((x, y) => x - y));
  });

  it('refuses a held-out fraction outside (0, 0.5]', () => {
    expect(() => splitTrainHeldOut(leads, { heldOutFraction: 0 })).toThrow(RangeError);
    expect(() => splitTrainHeldOut(leads, { heldOutFraction: 0.6 })).toThrow(RangeError);
    expect(() => heldOutCount(10, 1)).toThrow(RangeError);
  });
});
