import { dataDrivenCredits, DataDrivenModel, DATA_DRIVEN_MODELS } from './data-driven';
import { DEFAULT_HALF_LIFE_MS, heuristicCredits, HeuristicModel, HEURISTIC_MODELS } from './heuristic';
import { Touch, TouchCredit } from './touches';

export const ATTRIBUTION_MODELS = [...HEURISTIC_MODELS, ...DATA_DRIVEN_MODELS] as const;
export type AttributionModel = HeuristicModel | DataDrivenModel;

export const DEFAULT_LOOKBACK_MS = 90 * 86_400_000;

export interface ConversionToAttribute {
  /** When it happened, epoch milliseconds. */
  at: number;
  /** Its value in integer minor units of its currency (0 for a conversion without value). */
  valueMinor: bigint;
}

export interface AttributionOptions {
  lookbackMs?: number;
  halfLifeMs?: number;
  /** Channel weights of the data-driven models, computed over all paths; a model without weights is skipped. */
  weights?: Partial<Record<DataDrivenModel, ReadonlyMap<string, number>>>;
}

/** A touch's share of one conversion under one model, and the revenue that share is worth. */
export interface CreditRow extends TouchCredit {
  model: AttributionModel;
  /** Minor units; a conversion's rows under one model add up to exactly its value. */
  revenueMinor: bigint;
}

/** The touches that count for a conversion: those in the look-back window before it (and at its instant). */
export function touchesInWindow(touches: readonly Touch[], conversionAt: number, lookbackMs = DEFAULT_LOOKBACK_MS): Touch[] {
  return touches.filter((t) => t.at <= conversionAt && t.at >= conversionAt - lookbackMs);
}

/**
 * A conversion's credits under every model: the touches in its look-back window, each model's
 * shares (summing to 1), and the revenue of each share in minor units, apportioned so that they
 * add up to the value exactly (largest remainders, ties to the earlier touch). No touches in the
 * window, no credits.
 */
export function attributeConversion(conversion: ConversionToAttribute, touches: readonly Touch[], options: AttributionOptions = {}): CreditRow[] {
  const window = touchesInWindow(touches, conversion.at, options.lookbackMs);
  if (window.length === 0) return [];
  const rows: CreditRow[] = [];
  for (const model of ATTRIBUTION_MODELS) {
    let credits: TouchCredit[];
    if ((HEURISTIC_MODELS as readonly string[]).includes(model)) {
      credits = heuristicCredits(model as HeuristicModel, window, { conversionAt: conversion.at, halfLifeMs: options.halfLifeMs ?? DEFAULT_HALF_LIFE_MS });
    } else {
      const weights = options.weights?.[model as DataDrivenModel];
      if (!weights) continue;
      credits = dataDrivenCredits(weights, window);
    }
    const revenue = apportion(conversion.valueMinor, credits.map((c) => c.credit));
    credits.forEach((c, i) => rows.push({ ...c, model, revenueMinor: revenue[i] }));
  }
  return rows;
}

/**
 * Splits an amount of minor units by shares (summing to 1) into whole units that add up to it
 * exactly: each gets the floor of its exact part, and the units left over go to the largest
 * remainders (the earlier share on a tie). Works for negative amounts (refunds) too.
 */
export function apportion(amount: bigint, shares: readonly number[]): bigint[] {
  if (shares.length === 0) return [];
  const negative = amount < 0n;
  const total = negative ? -amount : amount;
  // Shares as fractions of a large integer scale keep the arithmetic exact in bigint.
  const SCALE = 1_000_000_000_000n;
  const scaled = shares.map((s) => BigInt(Math.round(s * Number(SCALE))));
  const scaledSum = scaled.reduce((a, b) => a + b, 0n);
  const parts = scaled.map((s) => (total * s) / scaledSum);
  const remainders = scaled.map((s, i) => ({ i, r: (total * s) % scaledSum }));
  let left = total - parts.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left === 0n) break;
    parts[i] += 1n;
    left -= 1n;
  }
  return negative ? parts.map((p) => -p) : parts;
}
