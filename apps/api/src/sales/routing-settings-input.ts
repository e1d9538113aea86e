import { isEmail } from 'class-validator';
import type { RoutingRule } from '@activities/handoff/routing';
import { checkReceiverUrl } from '@activities/webhook/webhook.step';
import { SLA_BREACH_ACTIONS, SlaBreachAction } from '@ce/db';
import type { FieldProblem } from '@ce/errors';
import { checkTemplateSyntax } from '@ce/mail';
import { isPlainObject } from '../common/input-checks';
import { MAX_EMAIL_LENGTH } from './dto/sales-rep.dto';

export const MAX_ROUTING_RULES = 100;
export const MAX_RULE_REPS = 100;
/** An owner has at most 30 days to accept. */
export const MAX_SLA_MINUTES = 43_200;
export const MAX_REASSIGNMENTS = 20;
export const MAX_SUBJECT_LENGTH = 1_000;
export const MAX_TEXT_LENGTH = 100_000;
export const RULE_ID = /^[a-z0-9_-]{1,64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type { RoutingRule };

/** The routing settings an admin writes, whole. */
export interface RoutingSettingsInput {
  rules: RoutingRule[];
  slaMinutes: number;
  onSlaBreach: SlaBreachAction;
  maxReassignments: number;
  escalationEmail: string | null;
  webhookUrl: string | null;
  emailSubject: string | null;
  emailText: string | null;
}

export interface ParsedRoutingSettings {
  /** The settings normalised; null when there is any problem. */
  settings: RoutingSettingsInput | null;
  problems: FieldProblem[];
  /** Each rule's condition and its path, for the check against the attributes and segments of now. */
  conditions: { path: string; condition: unknown }[];
  /** Each well-formed rep id (lower-cased) and its path, for the check that the rep exists. */
  repIds: { path: string; id: string }[];
}

const FIELDS = ['rules', 'slaMinutes', 'onSlaBreach', 'maxReassignments', 'escalationEmail', 'webhookUrl', 'emailSubject', 'emailText'];
const RULE_FIELDS = ['id', 'name', 'when', 'repIds'];

/**
 * Checks a PUT of the routing settings on its own (the conditions and rep ids are checked
 * against the database by the caller) and returns them normalised, or every problem by path
 * (`rules[2].repIds[0]`, `escalationEmail`), all at once.
 */
export function parseRoutingSettings(body: unknown): ParsedRoutingSettings {
  const problems: FieldProblem[] = [];
  const conditions: ParsedRoutingSettings['conditions'] = [];
  const repIds: ParsedRoutingSettings['repIds'] = [];
  if (!isPlainObject(body)) return { settings: null, problems: [{ path: '', message: 'must be an object with rules, slaMinutes, onSlaBreach and maxReassignments' }], conditions, repIds };
  for (const key of Object.keys(body)) if (!FIELDS.includes(key)) problems.push({ path: key, message: 'is not a known field' });

  const rules = parseRules(body.rules, problems, conditions, repIds);
  const slaMinutes = wholeNumber(body.slaMinutes, 'slaMinutes', 1, MAX_SLA_MINUTES, problems);
  const maxReassignments = wholeNumber(body.maxReassignments, 'maxReassignments', 0, MAX_REASSIGNMENTS, problems);
  const onSlaBreach = SLA_BREACH_ACTIONS.includes(body.onSlaBreach as SlaBreachAction) ? (body.onSlaBreach as SlaBreachAction) : undefined;
  if (onSlaBreach === undefined)
    problems.push({ path: 'onSlaBreach', message: body.onSlaBreach === undefined ? 'is required: reassign or escalate' : 'must be reassign or escalate' });

  const escalationEmail = email(body.escalationEmail, 'escalationEmail', problems);
  if (onSlaBreach === 'escalate' && escalationEmail === null)
    problems.push({ path: 'escalationEmail', message: 'is required when onSlaBreach is escalate' });
  const webhookUrl = url(body.webhookUrl, 'webhookUrl', problems);
  const emailSubject = template(body.emailSubject, 'emailSubject', MAX_SUBJECT_LENGTH, problems);
  const emailText = template(body.emailText, 'emailText', MAX_TEXT_LENGTH, problems);
  if (typeof emailSubject === 'string' || typeof emailText === 'string') {
    for (const problem of checkTemplateSyntax({ subject: emailSubject ?? null, html: '', text: emailText ?? null })) {
      problems.push({ path: problem.part === 'subject' ? 'emailSubject' : 'emailText', message: `does not compile: ${problem.message}` });
    }
  }

  if (
    problems.length > 0 ||
    rules === undefined ||
    slaMinutes === undefined ||
    maxReassignments === undefined ||
    onSlaBreach === undefined ||
    escalationEmail === undefined ||
    webhookUrl === undefined ||
    emailSubject === undefined ||
    emailText === undefined
  )
    return { settings: null, problems, conditions, repIds };
  return {
    settings: { rules, slaMinutes, onSlaBreach, maxReassignments, escalationEmail, webhookUrl, emailSubject, emailText },
    problems,
    conditions,
    repIds,
  };
}

function parseRules(
  list: unknown,
  problems: FieldProblem[],
  conditions: ParsedRoutingSettings['conditions'],
  repIds: ParsedRoutingSettings['repIds'],
): RoutingRule[] | undefined {
  if (!Array.isArray(list)) return problems.push({ path: 'rules', message: list === undefined || list === null ? 'is required (an empty list is fine)' : 'must be an array' }), undefined;
  if (list.length > MAX_ROUTING_RULES) return problems.push({ path: 'rules', message: `has ${list.length} rules; at most ${MAX_ROUTING_RULES} are allowed` }), undefined;
  const before = problems.length;
  const firstIndex = new Map<string, number>();
  const rules: RoutingRule[] = [];
  list.forEach((raw, index) => {
    const path = `rules[${index}]`;
    if (!isPlainObject(raw)) return problems.push({ path, message: 'must be an object with id, name, when and repIds' });
    for (const key of Object.keys(raw)) if (!RULE_FIELDS.includes(key)) problems.push({ path: `${path}.${key}`, message: 'is not a known field' });

    let id: string | undefined;
    if (typeof raw.id !== 'string' || !RULE_ID.test(raw.id)) {
      problems.push({ path: `${path}.id`, message: raw.id === undefined ? 'is required' : 'must be 1 to 64 lower-case letters, digits, - and _' });
    } else {
      const earlier = firstIndex.get(raw.id);
      if (earlier !== undefined) problems.push({ path: `${path}.id`, message: `is already the id of rules[${earlier}]` });
      else firstIndex.set(raw.id, index);
      id = raw.id;
    }

    const name = typeof raw.name === 'string' ? raw.name.trim() : undefined;
    if (name === undefined || name.length < 1 || name.length > 200)
      problems.push({ path: `${path}.name`, message: raw.name === undefined ? 'is required' : 'must be a text of 1 to 200 characters' });

    if (raw.when === undefined || raw.when === null) problems.push({ path: `${path}.when`, message: 'is required: a segment condition' });
    else conditions.push({ path: `${path}.when`, condition: raw.when });

    const reps = parseRepIds(raw.repIds, `${path}.repIds`, problems, repIds);
    if (id !== undefined && name !== undefined && isPlainObject(raw.when) && reps !== undefined) rules.push({ id, name, when: raw.when, repIds: reps });
  });
  return problems.length > before ? undefined : rules;
}

function parseRepIds(value: unknown, path: string, problems: FieldProblem[], found: ParsedRoutingSettings['repIds']): string[] | undefined {
  if (!Array.isArray(value) || value.length < 1 || value.length > MAX_RULE_REPS)
    return problems.push({ path, message: value === undefined ? 'is required' : `must be a list of 1 to ${MAX_RULE_REPS} rep ids` }), undefined;
  const before = problems.length;
  const ids: string[] = [];
  value.forEach((item, i) => {
    const here = `${path}[${i}]`;
    if (typeof item !== 'string' || !UUID.test(item)) return problems.push({ path: here, message: 'must be the id (a UUID) of a sales rep' });
    const id = item.toLowerCase();
    const earlier = ids.indexOf(id);
    if (earlier >= 0) return problems.push({ path: here, message: `is already listed at ${path}[${earlier}]` });
    ids.push(id);
    found.push({ path: here, id });
  });
  return problems.length > before ? undefined : ids;
}

function wholeNumber(value: unknown, path: string, min: number, max: number, problems: FieldProblem[]): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
  problems.push({ path, message: value === undefined ? `is required: a whole number from ${min} to ${max}` : `must be a whole number from ${min} to ${max}` });
  return undefined;
}

/** An optional email: trimmed and lower-cased; null when absent. */
function email(value: unknown, path: string, problems: FieldProblem[]): string | null | undefined {
  if (value === undefined || value === null) return null;
  const normalised = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (normalised.length <= MAX_EMAIL_LENGTH && isEmail(normalised)) return normalised;
  problems.push({ path, message: `must be an email address of at most ${MAX_EMAIL_LENGTH} characters, or null` });
  return undefined;
}

function url(value: unknown, path: string, problems: FieldProblem[]): string | null | undefined {
  if (value === undefined || value === null) return null;
  const problem = checkReceiverUrl(value);
  if (problem === null) return value as string;
  problems.push({ path, message: `${problem}, or null` });
  return undefined;
}

/** An optional handlebars template (checked to compile by the caller); null for the built-in one. */
function template(value: unknown, path: string, max: number, problems: FieldProblem[]): string | null | undefined {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.trim() === '' || value.length > max) {
    problems.push({ path, message: `must be a handlebars template of 1 to ${max} characters, or null for the built-in one` });
    return undefined;
  }
  return value;
}
