import { CONTROL_STEP_TYPES, FlowEvent, StepContext, StepRegistry, StepTypeDefinition } from '@ce/flows';
import { ACTION_STEP_TYPES } from '@activities/step-types';

/** The registry the API and the worker build: every control type and every action type. */
export const registry = new StepRegistry(ACTION_STEP_TYPES);

export const WELCOME_TEMPLATE = '3f1c2b9e-8a4d-4c7e-9b2a-1d5e6f7a8b9c';
export const FOLLOW_UP_TEMPLATE = 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** A control step type's registered definition. */
export function controlStep(type: string): StepTypeDefinition {
  const def = CONTROL_STEP_TYPES.find((d) => d.type === type);
  if (!def) throw new Error(`no control step type ${type}`);
  return def;
}

/** What a step sees when a lead enters it; a UTC campaign and no lead zone unless given. */
export function stepContext(overrides: Partial<StepContext> = {}): StepContext {
  return {
    now: Date.parse('2026-03-02T09:00:00.000Z'),
    stepId: 'step',
    leadId: 'lead-1',
    events: [],
    timeZones: { lead: null, campaign: 'UTC' },
    ...overrides,
  };
}

export function event(type: string, extra: Partial<FlowEvent> = {}): FlowEvent {
  return { type, occurredAt: '2026-03-02T10:00:00.000Z', ...extra };
}
