import { prepareTemplate } from './compiled-templates';
import type { TemplatePart } from './template.errors';

/** What a template's text refers to, for checking it before it is saved. */
export interface TemplateReferences {
  /** Partials included by name, each once; partials the template defines inline are not counted. */
  partials: string[];
  /** Includes whose name is computed while rendering (`{{> (lookup …)}}`), which cannot be checked. */
  dynamicPartials: number;
  /** `{{{body}}}` outside any block, and inside one. */
  bodySlots: { topLevel: number; nested: number };
}

/** Throws `TemplateInvalidError` (for `part`) when the text does not parse. */
export function templateReferences(source: string, part: TemplatePart = 'html'): TemplateReferences {
  const { outline } = prepareTemplate(part, source);
  const inline = new Set(outline.inlinePartials);
  const names = outline.partials.map((call) => call.name).filter((name): name is string => name !== null && !inline.has(name));
  return {
    partials: [...new Set(names)],
    dynamicPartials: outline.partials.filter((call) => call.name === null).length,
    bodySlots: { ...outline.bodySlots },
  };
}

/**
 * A chain of partials that leads from `start` back to a partial already on the chain, e.g.
 * `['header', 'logo', 'header']`; null when there is none. `includes` lists the partials a
 * partial includes.
 */
export function findPartialCycle(start: string, includes: (name: string) => readonly string[]): string[] | null {
  const done = new Set<string>();
  const chain: string[] = [];
  const visit = (name: string): string[] | null => {
    const at = chain.indexOf(name);
    if (at >= 0) return [...chain.slice(at), name];
    if (done.has(name)) return null;
    chain.push(name);
    for (const next of includes(name)) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    chain.pop();
    done.add(name);
    return null;
  };
  return visit(start);
}
