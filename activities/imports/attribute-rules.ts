import type { EntityManager } from '@mikro-orm/postgresql';
import { AttributeDefinition } from '@ce/db';
import type { AttributeRule, AttributeRules } from '@ce/leads';

/** The declared lead attributes, as the rules parseLeadRecord checks values against. */
export async function loadAttributeRules(em: EntityManager): Promise<AttributeRules> {
  const definitions = await em.find(AttributeDefinition, {}, { orderBy: { name: 'asc' } });
  return new Map<string, AttributeRule>(
    definitions.map((d) => [d.name, { type: d.type, required: d.required, options: d.options }]),
  );
}
