import { CONTROL_STEP_TYPES } from './steps';
import { StepTypeDefinition } from './flow.types';

/** Every step type the engine knows: the control types here plus the registered actions. */
export class StepRegistry {
  private readonly byType = new Map<string, StepTypeDefinition>();

  constructor(actionTypes: StepTypeDefinition[]) {
    for (const def of [...CONTROL_STEP_TYPES, ...actionTypes]) {
      if (this.byType.has(def.type)) throw new Error(`Step type "${def.type}" is registered twice`);
      this.byType.set(def.type, def);
    }
  }

  get(type: string): StepTypeDefinition | undefined {
    return this.byType.get(type);
  }

  types(): string[] {
    return [...this.byType.keys()].sort();
  }
}

/** The activity the workflow calls for an action step's batch of leads. */
export function batchActivityName(def: StepTypeDefinition): string | null {
  if (def.kind !== 'action') return null;
  if (def.batchActivity) return def.batchActivity;
  return def.activity ? `${def.activity}Batch` : null;
}
