import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataDrivenCredits, markovModel, parsePathsCsv, PathStats, shapleyByEnumeration, shapleyModel } from '@ce/attribution';

const path = (channels: string, conversions: number, value: number, nulls: number): PathStats => ({ channels: channels.split(' > '), conversions, value, nulls });
const byChannel = <T extends { channel: string }>(list: T[]) => Object.fromEntries(list.map((c) => [c.channel, c]));

describe('markovModel', () => {
  // start → A (2 of 3 walks) or B (1 of 3); A → B or (null), half each; B → (conversion) always.
  const paths = [path('A > B', 1, 10, 0), path('A', 0, 0, 1), path('B', 1, 20, 0)];

  it('solves the chain exactly: conversion chance 2/3; removing A leaves 1/3 (effect 1/2), removing B leaves 0 (effect 1)', () => {
    const result = markovModel(paths);
    expect(result.conversionProbability).toBeCloseTo(2 / 3, 12);
    const c = byChannel(result.channels);
    expect(c.A.weight).toBeCloseTo(0.5, 12);
    expect(c.B.weight).toBeCloseTo(1, 12);
    // 2 conversions shared 0.5 : 1.
    expect(c.A.conversions).toBeCloseTo(2 / 3, 12);
    expect(c.B.conversions).toBeCloseTo(4 / 3, 12);
    // Value: every conversion leaves from B, worth 15 on average; the same effects share 30.
    expect(c.A.value).toBeCloseTo(10, 12);
    expect(c.B.value).toBeCloseTo(20, 12);
  });

  it('counts non-converting journeys in the chain: three more that reach B and stop there', () => {
    // start → A 2/6, B 4/6; B → (conversion) 2/5. P = 1/3·1/2·2/5 + 2/3·2/5 = 1/3; without A, 4/15:
    // A's effect falls to 1/5, and its share of the 2 conversions to 2 · 0.2 / 1.2 = 1/3.
    const result = markovModel([...paths, path('B', 0, 0, 3)]);
    expect(result.conversionProbability).toBeCloseTo(1 / 3, 12);
    const c = byChannel(result.channels);
    expect(c.A.weight).toBeCloseTo(0.2, 12);
    expect(c.A.conversions).toBeCloseTo(1 / 3, 12);
  });

  it('gives value by where the valuable conversions come from', () => {
    // Both channels convert once, directly; C's conversion is worth nine times D's.
    const result = byChannel(markovModel([path('C', 1, 90, 0), path('D', 1, 10, 0)]).channels);
    expect(result.C.conversions).toBeCloseTo(1, 12);
    expect(result.D.conversions).toBeCloseTo(1, 12);
    expect(result.C.value).toBeCloseTo(90, 12);
    expect(result.D.value).toBeCloseTo(10, 12);
  });

  it('handles a channel repeated in a row (a loop on itself) and a single-channel world', () => {
    const loops = byChannel(markovModel([path('A > A > A', 2, 4, 2)]).channels);
    expect(loops.A).toMatchObject({ weight: 1, conversions: 2, value: 4 });
  });
});

describe('shapleyModel', () => {
  const paths = [path('A > B', 1, 10, 5), path('B', 1, 20, 0), path('A > A > C', 2, 6, 1)];

  it('shares each journey\'s conversions and value equally among its distinct channels', () => {
    const c = byChannel(shapleyModel(paths).channels);
    expect(c.A).toMatchObject({ conversions: 1.5, value: 8 });
    expect(c.B).toMatchObject({ conversions: 1.5, value: 25 });
    expect(c.C).toMatchObject({ conversions: 1, value: 3 });
  });

  it('equals the textbook formula over every coalition', () => {
    const exact = shapleyByEnumeration(paths);
    for (const channel of shapleyModel(paths).channels) expect(channel.conversions).toBeCloseTo(exact.get(channel.channel)!, 12);
    const wider = [path('A > B > C > D', 3, 1, 0), path('D > A', 2, 1, 0), path('B', 1, 1, 0), path('C > C > E', 5, 1, 0)];
    const byFormula = shapleyByEnumeration(wider);
    for (const channel of shapleyModel(wider).channels) expect(channel.conversions).toBeCloseTo(byFormula.get(channel.channel)!, 12);
  });
});

describe('dataDrivenCredits', () => {
  const touches = [
    { id: 't1', channel: 'A', at: 1 },
    { id: 't2', channel: 'B', at: 2 },
    { id: 't3', channel: 'A', at: 3 },
  ];

  it('gives each channel weight / its channels\' total, shared by its touches', () => {
    const credits = dataDrivenCredits(new Map([['A', 0.5], ['B', 1]]), touches);
    expect(credits.map((c) => c.touchId)).toEqual(['t1', 't2', 't3']);
    expect(credits[0].credit).toBeCloseTo(1 / 6, 12);
    expect(credits[1].credit).toBeCloseTo(2 / 3, 12);
    expect(credits[2].credit).toBeCloseTo(1 / 6, 12);
    expect(credits.reduce((s, c) => s + c.credit, 0)).toBe(1);
  });

  it('shares equally when none of the conversion\'s channels has a weight', () => {
    expect(dataDrivenCredits(new Map([['Z', 1]]), touches).map((c) => c.credit)).toEqual([1 / 3, 1 / 3, 1 - 2 / 3]);
  });
});

describe('the 10,000 aggregated paths of attribution-paths.csv', () => {
  const paths = parsePathsCsv(readFileSync(join(__dirname, '..', '..', 'fixtures', 'attribution-paths.csv'), 'utf8'));
  const totalConversions = paths.reduce((s, p) => s + p.conversions, 0);
  const totalValue = paths.reduce((s, p) => s + p.value, 0);

  it('reads 10,000 paths over 12 channels', () => {
    expect(paths).toHaveLength(10_000);
    expect(new Set(paths.flatMap((p) => p.channels)).size).toBe(12);
  });

  it.each([
    ['markov', markovModel],
    ['shapley', shapleyModel],
  ] as const)('shares every conversion and all the value among the channels under %s', (_, model) => {
    const result = model(paths);
    expect(result.channels).toHaveLength(12);
    expect(result.channels.reduce((s, c) => s + c.conversions, 0)).toBeCloseTo(totalConversions, 6);
    expect(result.channels.reduce((s, c) => s + c.value, 0)).toBeCloseTo(totalValue, 6);
    for (const c of result.channels) {
      expect(c.conversions).toBeGreaterThan(0);
      expect(c.value).toBeGreaterThan(0);
    }
  });
});
