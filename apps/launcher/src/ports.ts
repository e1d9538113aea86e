import net from 'node:net';

/** Thrown when a port the launcher wants to use is already taken by another process. */
export class PortInUseError extends Error {
  readonly code = 'PORT_IN_USE';

  constructor(
    readonly port: number,
    message: string,
  ) {
    super(message);
    this.name = 'PortInUseError';
  }
}

/** Asks the operating system for a port that is free right now on 127.0.0.1. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        if (port > 0) resolve(port);
        else reject(new Error('The operating system did not hand out a free port'));
      });
    });
  });
}

/** True when nothing listens on `port` at 127.0.0.1 (we could bind it ourselves). */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') resolve(false);
      else reject(new Error(`Cannot listen on port ${port}: ${error.message}`));
    });
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}

/**
 * Fails with a message that names the port and the setting that moves it, e.g.
 * "Port 3000 is already in use. Set PORT to a free port."
 * `alternative` adds another way out, e.g. "set DATABASE_URL to use an existing PostgreSQL".
 */
export async function assertPortFree(port: number, settingName: string, alternative?: string): Promise<void> {
  if (await isPortFree(port)) return;
  const orElse = alternative ? `, or ${alternative}` : '';
  throw new PortInUseError(port, `Port ${port} is already in use. Set ${settingName} to a free port${orElse}.`);
}

/** True when a TCP connection to 127.0.0.1:`port` succeeds within `timeoutMs`. */
export function canConnect(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    const finish = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}
