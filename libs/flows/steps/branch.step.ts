import { ControlOutcome, FlowProblem, FlowStep, StepContext, StepTypeDefinition } from '../flow.types';
import { BranchCondition, checkCondition, firstHolding, leadConditions } from './branch-conditions';
import { isObject, optionalStepId, unknownSettings } from './step-helpers';

interface Branch {
  when: BranchCondition;
  next: string | null;
}

const branchesOf = (step: FlowStep): Branch[] => (Array.isArray(step.branches) ? (step.branches as Branch[]) : []);
const otherwiseOf = (step: FlowStep): string | null => (typeof step.otherwise === 'string' ? step.otherwise : null);

function choose(step: FlowStep, answers: boolean[], context: StepContext): ControlOutcome {
  const branches = branchesOf(step);
  const index = firstHolding(branches.map((b) => b.when), answers, context.events);
  return { kind: 'goto', next: index >= 0 ? branches[index].next ?? null : otherwiseOf(step) };
}

/**
 * `branch`: the first branch whose condition holds decides the next step, else `otherwise`.
 * Conditions on the lead are answered by one database lookup; conditions on this enrollment's
 * events (opened, clicked an earlier step's email) by the flow's own record.
 */
export const branchStep: StepTypeDefinition = {
  type: 'branch',
  kind: 'control',
  description:
    'Chooses the next step by the first condition that holds: lead fields, attributes, score, stage, segment ' +
    'membership (`lead`, in the segment language), or engagement in this enrollment (`event`); else `otherwise`.',
  schema: {
    type: 'object',
    required: ['branches'],
    properties: {
      branches: {
        type: 'array',
        minItems: 1,
        maxItems: 20,
        items: {
          type: 'object',
          required: ['when', 'next'],
          properties: {
            when: {
              description: 'One of { lead: <segment condition> }, { event: { type, step?, link? } }, { all: [...] }, { any: [...] }, { not: {...} }.',
            },
            next: { type: ['string', 'null'] },
          },
        },
      },
      otherwise: { type: ['string', 'null'], description: 'Where the lead goes when no branch holds.' },
    },
  },
  validate(step) {
    const problems: FlowProblem[] = unknownSettings(step, ['branches', 'otherwise']);
    if (step.next !== undefined && step.next !== null) problems.push({ path: 'next', message: 'a branch continues through its branches and otherwise, not next' });
    problems.push(...optionalStepId(step.otherwise, 'otherwise'));
    if (!Array.isArray(step.branches) || step.branches.length === 0 || step.branches.length > 20)
      return [...problems, { path: 'branches', message: 'must list 1 to 20 branches' }];
    step.branches.forEach((branch: unknown, i: number) => {
      if (!isObject(branch)) return problems.push({ path: `branches[${i}]`, message: 'must be an object with when and next' });
      problems.push(...checkCondition(branch.when, `branches[${i}].when`).problems);
      if (!Object.hasOwn(branch, 'next')) problems.push({ path: `branches[${i}].next`, message: 'must be a step id or null' });
      problems.push(...optionalStepId(branch.next, `branches[${i}].next`));
      return undefined;
    });
    return problems;
  },
  successors: (step) => [...branchesOf(step).map((b) => b?.next), otherwiseOf(step)].filter((id): id is string => typeof id === 'string'),
  references: (step) => branchesOf(step).flatMap((b, i) => (isObject(b) ? checkCondition(b.when, `branches[${i}].when`).references : [])),
  mentions: (step) => branchesOf(step).flatMap((b, i) => (isObject(b) ? checkCondition(b.when, `branches[${i}].when`).mentions : [])),
  enter(step, context) {
    const conditions = leadConditions(branchesOf(step).map((b) => b.when));
    return conditions.length > 0 ? { kind: 'lookup', conditions } : choose(step, [], context);
  },
  onLookup: (step, results, context) => choose(step, results, context),
};
