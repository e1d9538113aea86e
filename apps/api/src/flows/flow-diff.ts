import type { FlowDiffDto, SettingChangeDto, StepChangeDto, ValueChangeDto } from './dto/version.dto';

/**
 * What changed between two definitions: steps added, removed and changed (each differing
 * setting with its value before and after), and the entry, exit rules and re-enrollment policy.
 * Tolerates drafts that are not valid: whatever is not a map of steps counts as no steps.
 */
export function diffFlows(before: unknown, after: unknown, labels: { from: string; to: string }): FlowDiffDto {
  const a = asObject(before);
  const b = asObject(after);
  const stepsA = asObject(a.steps);
  const stepsB = asObject(b.steps);
  const added = Object.keys(stepsB)
    .filter((id) => !Object.hasOwn(stepsA, id))
    .map((stepId) => ({ stepId, step: stepsB[stepId] }));
  const removed = Object.keys(stepsA)
    .filter((id) => !Object.hasOwn(stepsB, id))
    .map((stepId) => ({ stepId, step: stepsA[stepId] }));
  const changed: StepChangeDto[] = [];
  for (const stepId of Object.keys(stepsA)) {
    if (!Object.hasOwn(stepsB, stepId)) continue;
    const settings = settingChanges(stepsA[stepId], stepsB[stepId]);
    if (settings.length > 0) changed.push({ stepId, settings });
  }
  return {
    from: labels.from,
    to: labels.to,
    identical: canonical(before) === canonical(after),
    steps: { added, removed, changed },
    entry: valueChange(a, b, 'entry'),
    exitRules: valueChange(a, b, 'exitRules'),
    reenrollment: valueChange(a, b, 'reenrollment'),
  };
}

function settingChanges(before: unknown, after: unknown): SettingChangeDto[] {
  if (!isObject(before) || !isObject(after)) return canonical(before) === canonical(after) ? [] : [{ setting: '', before, after }];
  const keys = [...Object.keys(before), ...Object.keys(after).filter((k) => !Object.hasOwn(before, k))];
  const changes: SettingChangeDto[] = [];
  for (const setting of keys) {
    const change = valueChange(before, after, setting);
    if (change) changes.push({ setting, ...change });
  }
  return changes;
}

/** The value of `key` before and after, or null when it is the same; an absent side is left out. */
function valueChange(before: Record<string, unknown>, after: Record<string, unknown>, key: string): ValueChangeDto | null {
  const had = Object.hasOwn(before, key);
  const has = Object.hasOwn(after, key);
  if (had === has && canonical(before[key]) === canonical(after[key])) return null;
  return { ...(had ? { before: before[key] } : {}), ...(has ? { after: after[key] } : {}) };
}

/** JSON with object keys sorted, so key order does not count as a change. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    isObject(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v,
  ) ?? 'undefined';
}

function asObject(value: unknown): Record<string, unknown> {
  return isObject(value) ? value : {};
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
