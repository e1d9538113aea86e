import { FlowProblem, FlowReference, FlowStep, nextOf, StepTypeDefinition } from '@ce/flows';
// The plain list, not @ce/db: this file is bundled into the workflow, which cannot load the ORM.
import { LIFECYCLE_STAGES } from '@ce/segments/lead-fields';

/** The key of a declared attribute (the same rule as declaring one). */
export const ATTRIBUTE_KEY = /^[a-z][a-z0-9_]{0,62}$/;
export const MAX_TAG_LENGTH = 64;
export const MAX_TAGS_PER_LIST = 20;

/** The settings of an `update_lead` step, once they have passed `validate`. */
export interface UpdateLeadSettings {
  set?: { attributes?: Record<string, string | number | boolean | null>; lifecycleStage?: string };
  addTags?: string[];
  removeTags?: string[];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const attributesOf = (step: FlowStep): Record<string, unknown> =>
  isObject(step.set) && isObject(step.set.attributes) ? step.set.attributes : {};

const tagsOf = (value: unknown): string[] => (Array.isArray(value) ? value.filter((t): t is string => typeof t === 'string') : []);

/** `update_lead`: sets attributes or the lifecycle stage, and adds or removes tags. */
export const updateLeadStep: StepTypeDefinition = {
  type: 'update_lead',
  kind: 'action',
  activity: 'updateLead',
  description: 'Changes the lead: sets custom attributes or the lifecycle stage, adds or removes tags.',
  schema: {
    type: 'object',
    properties: {
      set: {
        type: 'object',
        description: 'Values to set. An attribute set to null is removed.',
        additionalProperties: false,
        properties: {
          attributes: {
            type: 'object',
            description: 'Declared attribute → value; values are checked against the declaration when the step runs.',
            propertyNames: { pattern: ATTRIBUTE_KEY.source },
            additionalProperties: { type: ['string', 'number', 'boolean', 'null'] },
          },
          lifecycleStage: { type: 'string', enum: [...LIFECYCLE_STAGES] },
        },
      },
      addTags: { type: 'array', items: { type: 'string', minLength: 1, maxLength: MAX_TAG_LENGTH }, maxItems: MAX_TAGS_PER_LIST, uniqueItems: true },
      removeTags: { type: 'array', items: { type: 'string', minLength: 1, maxLength: MAX_TAG_LENGTH }, maxItems: MAX_TAGS_PER_LIST, uniqueItems: true },
      next: { type: ['string', 'null'], description: 'The step after this one.' },
    },
    examples: [{ set: { attributes: { plan: 'pro' }, lifecycleStage: 'mql' }, addTags: ['webinar'] }],
  },
  validate(step) {
    const problems: FlowProblem[] = [];
    let changes = 0;
    if (step.set !== undefined) {
      if (!isObject(step.set)) problems.push({ path: 'set', message: 'must be an object with attributes and/or lifecycleStage' });
      else changes += checkSet(step.set, problems);
    }
    changes += checkTags(step, 'addTags', problems);
    changes += checkTags(step, 'removeTags', problems);
    const removed = new Set(tagsOf(step.removeTags));
    tagsOf(step.addTags).forEach((tag, i) => {
      if (removed.has(tag)) problems.push({ path: `addTags.${i}`, message: `"${tag}" is both added and removed` });
    });
    if (changes === 0 && problems.length === 0)
      problems.push({ path: '', message: 'must change something: set.attributes, set.lifecycleStage, addTags or removeTags' });
    return problems;
  },
  successors: nextOf,
  references: (step) =>
    Object.keys(attributesOf(step))
      .filter((key) => ATTRIBUTE_KEY.test(key))
      .map((key): FlowReference => ({ kind: 'attribute', id: key, path: `set.attributes.${key}` })),
  describe(step) {
    const parts: string[] = [];
    for (const [key, value] of Object.entries(attributesOf(step)))
      parts.push(value === null ? `remove ${key}` : `set ${key} to ${JSON.stringify(value)}`);
    if (isObject(step.set) && typeof step.set.lifecycleStage === 'string') parts.push(`move to stage ${step.set.lifecycleStage}`);
    const added = tagsOf(step.addTags);
    const removed = tagsOf(step.removeTags);
    if (added.length > 0) parts.push(`add tag${added.length > 1 ? 's' : ''} ${added.join(', ')}`);
    if (removed.length > 0) parts.push(`remove tag${removed.length > 1 ? 's' : ''} ${removed.join(', ')}`);
    return `update the lead: ${parts.join('; ')}`;
  },
};

/** Checks `set`; returns how many changes it asks for. */
function checkSet(set: Record<string, unknown>, problems: FlowProblem[]): number {
  let changes = 0;
  for (const key of Object.keys(set))
    if (key !== 'attributes' && key !== 'lifecycleStage')
      problems.push({ path: `set.${key}`, message: 'only attributes and lifecycleStage can be set' });
  if (set.attributes !== undefined) {
    if (!isObject(set.attributes)) problems.push({ path: 'set.attributes', message: 'must be an object of attribute name → value' });
    else {
      for (const [key, value] of Object.entries(set.attributes)) {
        const path = `set.attributes.${key}`;
        if (!ATTRIBUTE_KEY.test(key)) problems.push({ path, message: 'is not an attribute name (lower_snake_case, 63 characters at most)' });
        else if (value !== null && !['string', 'number', 'boolean'].includes(typeof value))
          problems.push({ path, message: 'must be text, a number, true or false, or null to remove the attribute' });
        else changes += 1;
      }
    }
  }
  if (set.lifecycleStage !== undefined) {
    if (typeof set.lifecycleStage !== 'string' || !(LIFECYCLE_STAGES as readonly string[]).includes(set.lifecycleStage))
      problems.push({ path: 'set.lifecycleStage', message: `must be one of ${LIFECYCLE_STAGES.join(', ')}` });
    else changes += 1;
  }
  return changes;
}

/** Checks a list of tags; returns how many it names. */
function checkTags(step: FlowStep, field: 'addTags' | 'removeTags', problems: FlowProblem[]): number {
  const tags = step[field];
  if (tags === undefined) return 0;
  if (!Array.isArray(tags)) {
    problems.push({ path: field, message: 'must be a list of tags' });
    return 0;
  }
  if (tags.length > MAX_TAGS_PER_LIST) problems.push({ path: field, message: `must have at most ${MAX_TAGS_PER_LIST} tags` });
  const seen = new Set<string>();
  tags.forEach((tag, i) => {
    const path = `${field}.${i}`;
    if (typeof tag !== 'string' || tag.trim() === '' || tag.length > MAX_TAG_LENGTH)
      problems.push({ path, message: `must be a tag of 1 to ${MAX_TAG_LENGTH} characters` });
    else if (tag !== tag.trim() || /[\u0000-\u001f\u007f]/.test(tag))
      problems.push({ path, message: 'must not start or end with spaces or hold control characters' });
    else if (seen.has(tag)) problems.push({ path, message: `"${tag}" is listed twice` });
    else seen.add(tag);
  });
  return seen.size;
}
