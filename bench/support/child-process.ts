import { ChildProcess, spawn } from 'node:child_process';

/** A Node child process of the benchmark, with its last output kept for an error message. */
export interface BenchChild {
  /** Resolves with the exit code when the process ends. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
  lastOutput(): string;
}

export function startNodeChild(script: string, args: string[], env: Record<string, string | undefined>, nodeArgs: string[] = []): BenchChild {
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, script, ...args], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 50) output.shift();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    exited,
    lastOutput: () => output.join('').split('\n').slice(-20).join('\n'),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
