/** A flow is data: a map of steps keyed by id, and the step every lead starts on. */
export interface FlowDefinition {
  entry: string;
  steps: Record<string, FlowStep>;
}

/** A step: its type, its type's own settings, and where the lead goes after it. */
export interface FlowStep {
  type: string;
  /** The next step; absent or null ends the flow after this step. */
  next?: string | null;
  [setting: string]: unknown;
}

export interface FlowProblem {
  /** Where the problem is, e.g. `steps.welcome.templateId`. */
  path: string;
  message: string;
}

/** What an engineer registers for a step type. Pure: no I/O. */
export interface StepTypeDefinition {
  type: string;
  /** `control` steps are run by the workflow itself; `action` steps run one activity. */
  kind: 'control' | 'action';
  description: string;
  /** Action steps only: the name of the activity that carries the step out. */
  activity?: string;
  /** Checks the step's settings; paths are relative to the step (e.g. `templateId`). */
  validate(step: FlowStep): FlowProblem[];
  /** The step ids this step can lead to. */
  successors(step: FlowStep): string[];
  /** Things outside the flow the step refers to, checked against the database at design time. */
  references?(step: FlowStep): FlowReference[];
  /** Control steps only: what entering the step does. */
  enter?(step: FlowStep, now: number): ControlOutcome;
  /** True when the step holds the lead for a while; a loop must pass through one. */
  holds?: boolean;
}

export interface FlowReference {
  kind: 'template';
  id: string;
  /** Relative to the step, like problem paths. */
  path: string;
}

export type ControlOutcome =
  | { kind: 'sleep'; until: number; next: string | null }
  | { kind: 'goto'; next: string | null }
  | { kind: 'end'; reason: string };
