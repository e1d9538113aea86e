import type { ActivityDeps } from './deps';
import { createEnrollmentActivities } from './enrollment/enrollment.activities';
import { createImportActivities } from './imports/import.activities';
import { createSendEmailActivities } from './send-email/send-email.activity';

export type { ActivityDeps } from './deps';

/** Every activity, built from the dependencies the worker made once. */
export const createActivities = (deps: ActivityDeps) => ({
  ...createEnrollmentActivities(deps),
  ...createSendEmailActivities(deps),
  ...createImportActivities(deps),
});

export type Activities = ReturnType<typeof createActivities>;
