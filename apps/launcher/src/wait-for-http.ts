import { setTimeout as sleep } from 'node:timers/promises';

/** Polls `url` until it answers 200; rejects after `timeoutMs`, or with the signal's reason when aborted. */
export async function waitForHttpOk(url: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    signal?.throwIfAborted();
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      if (response.status === 200) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error instanceof Error ? describeFetchError(error) : String(error);
    }
    if (Date.now() >= deadline) {
      throw new Error(`${url} did not answer 200 within ${Math.round(timeoutMs / 1000)} s (last: ${last})`);
    }
    await sleep(500, undefined, signal ? { signal } : undefined).catch(() => undefined);
  }
}

function describeFetchError(error: Error): string {
  const cause = (error as Error & { cause?: unknown }).cause;
  if (cause instanceof Error) return (cause as NodeJS.ErrnoException).code ?? cause.message;
  return error.message;
}
