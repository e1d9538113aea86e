/** Task queues. Email sends run on their own queue so they can be rate-limited apart. */
export const TASK_QUEUES = {
  campaigns: 'campaigns',
} as const;
