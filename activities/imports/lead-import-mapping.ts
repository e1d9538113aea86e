import { CONSENT_CHANNELS, ConsentChannel } from '@ce/db';
import type { FieldProblem } from '@ce/errors';
import { LEAD_WRITE_FIELDS, type AttributeRule, type AttributeRules } from '@ce/leads';

/**
 * How the columns of an import file (or the keys of an NDJSON line) become a lead: the mapping
 * names, for each source column, a target. Pure code, shared by the API (which checks a mapping
 * when the import is created) and the import activity (which applies it to every row).
 */

/** Lead fields a column can fill. */
export const LEAD_FIELD_TARGETS = LEAD_WRITE_FIELDS;
export type LeadFieldTarget = (typeof LEAD_FIELD_TARGETS)[number];

export type ImportTarget =
  | { kind: 'field'; field: LeadFieldTarget }
  | { kind: 'attribute'; name: string; rule: AttributeRule }
  | { kind: 'externalId'; source: string }
  | { kind: 'consent'; channel: ConsentChannel };

export interface MappedColumn {
  /** The column name in the file, or the key in an NDJSON line. */
  source: string;
  target: ImportTarget;
}

export const MAX_MAPPED_COLUMNS = 500;
const MAX_SOURCE_LENGTH = 200;
const SOURCE_SYSTEM = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const TARGET_HELP =
  `must be a lead field (${LEAD_FIELD_TARGETS.join(', ')}), attributes.<declared attribute>, ` +
  `externalIds.<source system> or consent.<${CONSENT_CHANNELS.join('|')}>`;

/** Reads one target, e.g. `company`, `attributes.plan`, `externalIds.salesforce`, `consent.email`. */
export function parseTarget(target: string, attributes: AttributeRules): ImportTarget | { problem: string } {
  if ((LEAD_FIELD_TARGETS as readonly string[]).includes(target)) return { kind: 'field', field: target as LeadFieldTarget };
  const dot = target.indexOf('.');
  const [group, name] = dot < 0 ? [target, ''] : [target.slice(0, dot), target.slice(dot + 1)];
  switch (group) {
    case 'attributes': {
      const rule = attributes.get(name);
      return rule
        ? { kind: 'attribute', name, rule }
        : { problem: `attribute "${name}" is not declared; declare it first (POST /v1/attribute-definitions)` };
    }
    case 'externalIds':
      return SOURCE_SYSTEM.test(name)
        ? { kind: 'externalId', source: name }
        : { problem: 'the source system after externalIds. must be a lower-case word (letters, digits, - and _)' };
    case 'consent':
      return (CONSENT_CHANNELS as readonly string[]).includes(name)
        ? { kind: 'consent', channel: name as ConsentChannel }
        : { problem: `consent channels are ${CONSENT_CHANNELS.join(', ')}` };
    default:
      return { problem: TARGET_HELP };
  }
}

/**
 * Checks a whole mapping against the declared attributes and returns its columns, or every
 * problem with the path `mapping.<column>`: exactly one column must map to email, no target may
 * be named twice, and every required attribute must be mapped.
 */
export function compileMapping(mapping: unknown, attributes: AttributeRules): { columns: MappedColumn[]; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const columns: MappedColumn[] = [];
  if (typeof mapping !== 'object' || mapping === null || Array.isArray(mapping)) {
    return { columns, problems: [{ path: 'mapping', message: 'must be an object of source column → target' }] };
  }
  const entries = Object.entries(mapping as Record<string, unknown>);
  if (entries.length > MAX_MAPPED_COLUMNS) problems.push({ path: 'mapping', message: `may map at most ${MAX_MAPPED_COLUMNS} columns` });

  const sourceOf = new Map<string, string>();
  for (const [source, target] of entries.slice(0, MAX_MAPPED_COLUMNS)) {
    const path = `mapping.${source}`;
    if (source.trim() === '' || source.length > MAX_SOURCE_LENGTH || source.trim() !== source) {
      problems.push({ path, message: `the column name must be 1 to ${MAX_SOURCE_LENGTH} characters without surrounding spaces` });
      continue;
    }
    if (typeof target !== 'string') {
      problems.push({ path, message: TARGET_HELP });
      continue;
    }
    const parsed = parseTarget(target, attributes);
    if ('problem' in parsed) {
      problems.push({ path, message: parsed.problem });
      continue;
    }
    const earlier = sourceOf.get(target);
    if (earlier !== undefined) {
      problems.push({ path, message: `maps to ${target}, as column "${earlier}" does already` });
      continue;
    }
    sourceOf.set(target, source);
    columns.push({ source, target: parsed });
  }

  if (!sourceOf.has('email')) {
    problems.push({ path: 'mapping', message: 'exactly one column must map to email' });
  }
  for (const [name, rule] of attributes) {
    if (rule.required && !sourceOf.has(`attributes.${name}`)) {
      problems.push({ path: 'mapping', message: `must map a column to attributes.${name}, a required attribute` });
    }
  }
  return { columns: problems.length > 0 ? [] : columns, problems };
}

/** The name a target is written as in a mapping. */
export function targetName(target: ImportTarget): string {
  switch (target.kind) {
    case 'field':
      return target.field;
    case 'attribute':
      return `attributes.${target.name}`;
    case 'externalId':
      return `externalIds.${target.source}`;
    case 'consent':
      return `consent.${target.channel}`;
  }
}

/**
 * Builds the lead a client would have written from one row's values, in the shape
 * parseLeadRecord checks. `text` values (CSV cells) are converted to the attribute's type first,
 * and an empty cell means "not given"; NDJSON values keep their JSON types.
 */
export function toRawLead(columns: MappedColumn[], values: readonly unknown[], text: boolean): Record<string, unknown> {
  const lead: Record<string, unknown> = {};
  for (let i = 0; i < columns.length; i++) {
    let value = values[i];
    if (value === undefined) continue;
    const { target } = columns[i];
    if (text && typeof value === 'string') {
      value = fromText(target, value);
      if (value === undefined) continue;
    }
    switch (target.kind) {
      case 'field':
        lead[target.field] = value;
        break;
      case 'attribute':
        ((lead.attributes ??= {}) as Record<string, unknown>)[target.name] = value;
        break;
      case 'externalId':
        ((lead.externalIds ??= {}) as Record<string, unknown>)[target.source] = value;
        break;
      case 'consent':
        ((lead.consent ??= {}) as Record<string, unknown>)[target.channel] = value;
        break;
    }
  }
  return lead;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const TRUE_WORDS = new Set(['true', 'yes', '1']);
const FALSE_WORDS = new Set(['false', 'no', '0']);

/**
 * A CSV cell as the value a JSON client would have sent. Text that does not convert is passed
 * on unchanged, so the lead's validation names the problem ("must be a number").
 */
function fromText(target: ImportTarget, cell: string): unknown {
  const trimmed = cell.trim();
  if (trimmed === '') return undefined;
  switch (target.kind) {
    case 'field':
      return target.field === 'lifecycleStage' ? trimmed.toLowerCase() : trimmed;
    case 'consent':
      return trimmed.toLowerCase();
    case 'externalId':
      return trimmed;
    case 'attribute':
      switch (target.rule.type) {
        case 'number':
          return NUMBER.test(trimmed) ? Number(trimmed) : trimmed;
        case 'boolean': {
          const word = trimmed.toLowerCase();
          return TRUE_WORDS.has(word) ? true : FALSE_WORDS.has(word) ? false : trimmed;
        }
        case 'date':
        case 'enum':
        case 'string':
          return trimmed;
      }
  }
}
