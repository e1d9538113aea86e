import { spawn, type ChildProcess } from 'node:child_process';
import { signalProcess, terminateChild } from './processes';

/** Something started for the children to use (database, Temporal), stopped after them. */
export interface SupervisedService {
  stop(): Promise<void>;
  /** Killed outright if the launcher exits without stopping it. */
  pid?: number | null;
}

export interface SupervisorOptions {
  /** Called when a child exits while nobody asked it to. */
  onUnexpectedExit: (name: string, code: number | null, signal: NodeJS.Signals | null) => void;
  /** Plain-text progress and problems. */
  log: (message: string) => void;
  /** How long a child gets between SIGTERM and SIGKILL. */
  stopGraceMs?: number;
}

/**
 * Owns every process the launcher starts: Node children (API, worker), whose output goes
 * straight to ours, and services (PostgreSQL, Temporal). stopAll() stops the children first,
 * then the services in reverse start order.
 */
export class Supervisor {
  private readonly children = new Map<string, ChildProcess>();
  private readonly services: { name: string; service: SupervisedService }[] = [];
  private stopping: Promise<void> | null = null;

  constructor(private readonly options: SupervisorOptions) {}

  /** Runs `node <entryFile>` with the given environment; stdout and stderr are shared with ours unchanged. */
  spawnNode(name: string, entryFile: string, env: NodeJS.ProcessEnv): ChildProcess {
    const child = spawn(process.execPath, [entryFile], { env, stdio: ['ignore', 'inherit', 'inherit'] });
    this.children.set(name, child);
    child.once('error', (error) => {
      this.options.log(`${name} could not be started: ${error.message}`);
      if (this.stopping === null) this.options.onUnexpectedExit(name, null, null);
    });
    child.once('exit', (code, signal) => {
      if (this.stopping === null) this.options.onUnexpectedExit(name, code, signal);
    });
    return child;
  }

  addService(name: string, service: SupervisedService): void {
    this.services.push({ name, service });
  }

  get isStopping(): boolean {
    return this.stopping !== null;
  }

  /** Stops everything once; later calls wait for the same stop. */
  stopAll(): Promise<void> {
    this.stopping ??= this.stopEverything();
    return this.stopping;
  }

  /**
   * Last resort, synchronous: signals whatever is still running without waiting for it.
   * SIGKILL when the user insists; SIGTERM when the launcher is exiting without a stopAll().
   */
  killAllNow(signal: NodeJS.Signals = 'SIGKILL'): void {
    for (const child of this.children.values()) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    }
    for (const { service } of this.services) {
      if (service.pid) signalProcess(service.pid, signal);
    }
  }

  private async stopEverything(): Promise<void> {
    const grace = this.options.stopGraceMs ?? 10_000;
    await Promise.all([...this.children.values()].map((child) => terminateChild(child, grace)));
    for (const entry of [...this.services].reverse()) {
      const { name, service } = entry;
      try {
        await service.stop();
        // Stopped: its pid may be reused by now, so killAllNow() must leave it alone.
        this.services.splice(this.services.indexOf(entry), 1);
      } catch (error) {
        this.options.log(`Could not stop ${name} cleanly: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}
