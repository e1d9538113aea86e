import { FlowProblem, StepTypeDefinition } from '../flow.types';
import { isObject, optionalStepId, unknownSettings } from './step-helpers';

interface Variant {
  percent: number;
  next: string | null;
}

/**
 * A bucket from 0 to 9999 that depends only on the lead and the step (FNV-1a), so a lead always
 * takes the same variant of a split, in the workflow, after a replay, and in the dry run.
 */
export function splitBucket(leadId: string, stepId: string): number {
  let hash = 0x811c9dc5;
  const text = `${leadId}:${stepId}`;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % 10_000;
}

const variantsOf = (value: unknown): Variant[] => (Array.isArray(value) ? (value as Variant[]) : []);

/** `split`: A/B or n-way by percentage, the same variant for a lead every time. */
export const splitStep: StepTypeDefinition = {
  type: 'split',
  kind: 'control',
  description: 'Sends each lead down one of several paths by percentage (A/B or n-way), deterministically per lead.',
  schema: {
    type: 'object',
    required: ['variants'],
    properties: {
      variants: {
        type: 'array',
        minItems: 2,
        maxItems: 20,
        items: {
          type: 'object',
          required: ['percent', 'next'],
          properties: {
            name: { type: 'string' },
            percent: { type: 'number', exclusiveMinimum: 0, maximum: 100, description: 'Up to two decimals; all add up to 100.' },
            next: { type: ['string', 'null'] },
          },
        },
      },
    },
  },
  validate(step) {
    const problems: FlowProblem[] = unknownSettings(step, ['variants']);
    if (step.next !== undefined && step.next !== null) problems.push({ path: 'next', message: 'a split continues through its variants, not next' });
    if (!Array.isArray(step.variants) || step.variants.length < 2 || step.variants.length > 20)
      return [...problems, { path: 'variants', message: 'must list 2 to 20 variants' }];
    let total = 0;
    step.variants.forEach((variant: unknown, i: number) => {
      const at = `variants[${i}]`;
      if (!isObject(variant)) return problems.push({ path: at, message: 'must be an object with percent and next' });
      const percent = variant.percent;
      if (typeof percent !== 'number' || !(percent > 0) || percent > 100 || Math.abs(percent * 100 - Math.round(percent * 100)) > 1e-6)
        problems.push({ path: `${at}.percent`, message: 'must be a number above 0 and at most 100, with at most two decimals' });
      else total += Math.round(percent * 100);
      if (!Object.hasOwn(variant, 'next')) problems.push({ path: `${at}.next`, message: 'must be a step id or null' });
      problems.push(...optionalStepId(variant.next, `${at}.next`));
      return undefined;
    });
    if (problems.length === 0 && total !== 10_000) problems.push({ path: 'variants', message: `percentages add up to ${total / 100}, not 100` });
    return problems;
  },
  successors: (step) => variantsOf(step.variants).flatMap((v) => (typeof v?.next === 'string' ? [v.next] : [])),
  enter(step, { leadId, stepId }) {
    return { kind: 'goto', next: chooseVariant(variantsOf(step.variants), splitBucket(leadId, stepId)) };
  },
};

function chooseVariant(variants: Variant[], bucket: number): string | null {
  let upper = 0;
  for (const variant of variants) {
    upper += Math.round(variant.percent * 100);
    if (bucket < upper) return variant.next ?? null;
  }
  return variants[variants.length - 1]?.next ?? null;
}
