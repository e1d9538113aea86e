import type { SegmentCondition } from '@ce/segments';

/**
 * A flow is data: a map of steps keyed by id, the step every lead starts on, the rules that end
 * a lead's journey early, and whether a lead may go through it again.
 */
export interface FlowDefinition {
  entry: string;
  steps: Record<string, FlowStep>;
  /** When absent, a lead leaves the flow when it converts or unsubscribes. */
  exitRules?: ExitRule[];
  /** When absent, a lead goes through a campaign's flow once (`never`). */
  reenrollment?: ReenrollmentPolicy;
}

export type ExitRule =
  | { on: 'conversion' }
  | { on: 'unsubscribe' }
  /** Leaves when the lead becomes a member of the segment. */
  | { on: 'segment_entered'; segmentId: string }
  /** Leaves when the lead stops being a member of the segment. */
  | { on: 'segment_left'; segmentId: string };

export type ReenrollmentPolicy = { policy: 'never' } | { policy: 'after'; days: number };

export const DEFAULT_EXIT_RULES: ExitRule[] = [{ on: 'conversion' }, { on: 'unsubscribe' }];

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

/** Something that happened to the lead that a flow can wait for or branch on. */
export interface FlowEvent {
  /** `opened`, `clicked`, `converted`, `unsubscribed`, or any touchpoint type. */
  type: string;
  /** The step whose message the event is about, when there is one. */
  stepId?: string;
  /** The link clicked, for `clicked`. */
  url?: string;
  occurredAt: string;
}

/** What a control step sees when a lead enters it. Pure data: no I/O. */
export interface StepContext {
  now: number;
  /** The id of the step being entered. */
  stepId: string;
  leadId: string;
  /** Events so far in this enrollment, oldest first. */
  events: FlowEvent[];
  /** The lead's IANA time zone, when known, and the campaign's. */
  timeZones: { lead: string | null; campaign: string };
}

/**
 * What an engineer registers for a step type. Pure: no I/O, so the API's validator, the dry
 * run and the workflow's interpreter can all read it.
 */
export interface StepTypeDefinition {
  type: string;
  /** `control` steps are run by the workflow itself; `action` steps run one activity. */
  kind: 'control' | 'action';
  description: string;
  /** The step's settings as a JSON Schema, for the API documentation and editors. */
  schema: Record<string, unknown>;
  /**
   * Action steps only: the name of the function, in the folder's activity factory, that carries
   * the step out for one lead (`(ActionInput) => Promise<ActionResult>`). The worker runs it for
   * every lead of a batch as the activity `<activity>Batch`.
   */
  activity?: string;
  /**
   * Action steps only, optional: the name of an activity that takes the whole batch itself
   * (`(ActionBatchInput) => Promise<MemberOutcome[]>`), for a step that gains from doing its
   * leads together (email sends share their queries and SMTP connections).
   */
  batchActivity?: string;
  /** Action steps only: the worker queue of the activity; email sends have their own. */
  queue?: 'campaigns' | 'email';
  /** Checks the step's settings; paths are relative to the step (e.g. `templateId`). */
  validate(step: FlowStep): FlowProblem[];
  /** The step ids this step can lead to. */
  successors(step: FlowStep): string[];
  /** Other steps of the flow this step refers to (not as successors), checked to exist. */
  mentions?(step: FlowStep): { stepId: string; path: string }[];
  /** Things outside the flow the step refers to, checked against the database at design time. */
  references?(step: FlowStep): FlowReference[];
  /** Control steps only: what entering the step does. */
  enter?(step: FlowStep, context: StepContext): ControlOutcome;
  /** Control steps that wait for events: what an event (or the timeout) does while waiting. */
  onEvent?(step: FlowStep, event: FlowEvent, context: StepContext): ControlOutcome | null;
  /** Control steps that look the lead up: where the lead goes given each condition's answer. */
  onLookup?(step: FlowStep, results: boolean[], context: StepContext): ControlOutcome;
  /**
   * True when every way out of the step passes time (a fixed wait). A loop must contain such a
   * step, or an edge listed by `heldSuccessors`, or it could spin (and send) without pause.
   */
  holds?: boolean;
  /**
   * Successors a lead may reach without any time passing; by default all of them, or none when
   * `holds` is true. (A wait_for_event's event path is immediate; its timeout path is not.)
   */
  immediateSuccessors?(step: FlowStep): string[];
  /** Action steps only: what the dry run says the step would do (no I/O). */
  describe?(step: FlowStep): string;
}

/**
 * Something outside the flow a step refers to: a template, segment or attribute by id, or a
 * lead condition (segment DSL) to check against the declared attributes and segments.
 * Paths are relative to the step, like problem paths.
 */
export type FlowReference =
  | { kind: 'template' | 'segment' | 'attribute'; id: string; path: string }
  | { kind: 'condition'; condition: unknown; path: string }
  /** Handlebars text inside a step (a chat or sales message), compiled by the API to check it. */
  | { kind: 'text_template'; source: string; path: string };

export type ControlOutcome =
  | { kind: 'goto'; next: string | null }
  | { kind: 'sleep'; until: number; next: string | null }
  /** Wait for an event (see `onEvent`) until `until`, then go to `timeoutNext`. */
  | { kind: 'await_event'; until: number; timeoutNext: string | null }
  /** Ask the database whether the lead meets each condition (see `onLookup`). */
  | { kind: 'lookup'; conditions: SegmentCondition[] }
  | { kind: 'end'; reason: string };
