import { UpdateLeadDeps, createUpdateLeadActivities } from './update-lead.activity';
import { updateLeadStep } from './update-lead.step';

const step = (settings: Record<string, unknown>) => ({ type: 'update_lead', ...settings });
const paths = (settings: Record<string, unknown>) => updateLeadStep.validate(step(settings)).map((p) => p.path);

describe('update_lead settings', () => {
  it('accepts attributes, a lifecycle stage and tags to add and remove', () => {
    const settings = { set: { attributes: { plan: 'pro', seats: 12, trial: false, old_field: null }, lifecycleStage: 'mql' }, addTags: ['webinar'], removeTags: ['cold'] };
    expect(updateLeadStep.validate(step(settings))).toEqual([]);
  });

  it('accepts a step that only adds a tag', () => {
    expect(updateLeadStep.validate(step({ addTags: ['webinar'] }))).toEqual([]);
  });

  it('asks for at least one change', () => {
    expect(updateLeadStep.validate(step({}))).toEqual([{ path: '', message: expect.stringContaining('must change something') }]);
    expect(paths({ set: {}, addTags: [] })).toEqual(['']);
  });

  it('refuses a stage that is not a lifecycle stage', () => {
    expect(updateLeadStep.validate(step({ set: { lifecycleStage: 'hot' } }))).toEqual([
      { path: 'set.lifecycleStage', message: expect.stringContaining('subscriber, lead, mql') },
    ]);
  });

  it('refuses fields other than attributes and the stage, names that are not attribute names, and nested values', () => {
    expect(paths({ set: { email: 'x@example.com', attributes: { Plan: 'pro', tags: ['a'], ok: 1 } } })).toEqual([
      'set.email',
      'set.attributes.Plan',
      'set.attributes.tags',
    ]);
  });

  it('refuses blank, padded, repeated and contradictory tags', () => {
    expect(paths({ addTags: ['', ' vip', 'a', 'a', 'b'], removeTags: ['b', 42] })).toEqual([
      'addTags.0',
      'addTags.1',
      'addTags.3',
      'removeTags.1',
      'addTags.4',
    ]);
    expect(paths({ addTags: 'vip' })).toEqual(['addTags']);
    expect(paths({ addTags: Array.from({ length: 21 }, (_, i) => `t${i}`) })).toEqual(['addTags']);
  });

  it('reports every attribute it sets as a reference, so the API checks it is declared', () => {
    expect(updateLeadStep.references!(step({ set: { attributes: { plan: 'pro', seats: 3, 'Bad Name': 1 } } }))).toEqual([
      { kind: 'attribute', id: 'plan', path: 'set.attributes.plan' },
      { kind: 'attribute', id: 'seats', path: 'set.attributes.seats' },
    ]);
    expect(updateLeadStep.references!(step({ addTags: ['x'] }))).toEqual([]);
  });

  it('describes the changes in one line for the dry run', () => {
    const settings = { set: { attributes: { plan: 'pro', legacy: null }, lifecycleStage: 'mql' }, addTags: ['webinar', 'q3'], removeTags: ['cold'] };
    expect(updateLeadStep.describe!(step(settings))).toBe(
      'update the lead: set plan to "pro"; remove legacy; move to stage mql; add tags webinar, q3; remove tag cold',
    );
  });

  it('goes on to the next step', () => {
    expect(updateLeadStep.successors(step({ addTags: ['x'], next: 'wait' }))).toEqual(['wait']);
    expect(updateLeadStep.successors(step({ addTags: ['x'], next: null }))).toEqual([]);
  });

  it('names the activity its factory builds', () => {
    // The factory only keeps its dependencies until an activity runs, so none are needed here.
    expect(Object.keys(createUpdateLeadActivities({} as UpdateLeadDeps))).toEqual([updateLeadStep.activity]);
  });
});
