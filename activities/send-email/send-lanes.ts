/**
 * The worker's sending lanes, shared by every batch it runs: at most `size` messages are being
 * sent at once, taken first come, first served. Batches queue their messages here rather than
 * each keeping lanes of its own, so the SMTP connections stay busy across batch boundaries: while
 * one batch waits for its last answers and writes its records, the next one's messages go out.
 */
export class SendLanes {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly size: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      // The freed lane passes straight to the next message in line.
      if (next) next();
      else this.active--;
    }
  }
}
