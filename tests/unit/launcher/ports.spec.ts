import net from 'node:net';
import { assertPortFree, findFreePort, isPortFree, PortInUseError } from '../../../apps/launcher/src/ports';

describe('ports', () => {
  it('finds a port that can be listened on', async () => {
    const port = await findFreePort();

    expect(port).toBeGreaterThan(0);
    expect(await isPortFree(port)).toBe(true);
  });

  it('says which port is taken and which setting moves it', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      expect(await isPortFree(port)).toBe(false);
      await expect(assertPortFree(port, 'PORT')).rejects.toThrow(`Port ${port} is already in use. Set PORT to a free port.`);
      await expect(assertPortFree(port, 'EMBEDDED_PG_PORT', 'set DATABASE_URL')).rejects.toThrow(
        `Port ${port} is already in use. Set EMBEDDED_PG_PORT to a free port, or set DATABASE_URL.`,
      );
      await expect(assertPortFree(port, 'PORT')).rejects.toBeInstanceOf(PortInUseError);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
