/**
 * Task queues. Email sends run on their own queue, so that Temporal can hold them to the
 * overall send rate without slowing anything else down.
 */
export const TASK_QUEUES = {
  campaigns: 'campaigns',
  email: 'email',
} as const;
