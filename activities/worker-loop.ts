import type { Logger } from 'pino';

/** How often an idle loop looks for work. */
export const IDLE_POLL_MS = 500;
/** After a failed round, how long before trying again. */
const RETRY_MS = 2_000;

/** One kind of background work: does a round, and says whether more is waiting. */
export interface LoopStep {
  name: string;
  round(): Promise<boolean>;
}

/**
 * The worker's background work outside Temporal's task queues, kept in the database so that
 * nothing is lost: each step (scoring the leads on the score queue, starting hand-offs) does
 * rounds while there is more, and the loop looks again every `IDLE_POLL_MS` when all are idle.
 * A round that fails leaves its work in the database and is tried again.
 */
export class WorkerLoop {
  private stopping = false;
  private wake: (() => void) | null = null;

  constructor(
    private readonly steps: readonly LoopStep[],
    private readonly logger: Logger,
  ) {}

  /** Runs until `stop()`; resolves when the round in hand has finished. */
  async run(): Promise<void> {
    while (!this.stopping) {
      let pause = IDLE_POLL_MS;
      for (const step of this.steps) {
        try {
          if (await step.round()) pause = 0;
        } catch (error) {
          this.logger.warn({ msg: 'background work failed; it stays queued', step: step.name, err: (error as Error).message });
          pause = Math.max(pause, RETRY_MS);
        }
        if (this.stopping) break;
      }
      if (pause > 0 && !this.stopping)
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pause);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      this.wake = null;
    }
  }

  stop(): void {
    this.stopping = true;
    this.wake?.();
  }
}
