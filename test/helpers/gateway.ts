import type { FastifyInstance } from 'fastify';
import { createServer } from 'node:net';
import { buildGatewayApp } from '../../src/gateway-app.js';
import type { DepsOverrides } from '../../src/deps.js';
import { createTestApp, type TestApp } from './app.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    }).on('error', reject);
  });
}

export interface TwoOrigins {
  t: TestApp;
  /** The app, as a browser opens it (localhost: passkeys need a host name, not an IP). */
  appUrl: string;
  /** The embedded gateway's own listener: another site altogether (127.0.0.1), as in production. */
  gatewayUrl: string;
  gateway: FastifyInstance;
  close(): Promise<void>;
}

/**
 * The real app plus the sandbox gateway's own listener, both over loopback on
 * free ports, configured with each other's origins (PUBLIC_URL, GATEWAY_PUBLIC_URL).
 */
export async function listenWithGateway(env: Record<string, string> = {}, overrides: DepsOverrides = {}, extend?: (app: FastifyInstance) => void): Promise<TwoOrigins> {
  const [appPort, gatewayPort] = [await freePort(), await freePort()];
  const appUrl = `http://localhost:${appPort}`;
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  const t = await createTestApp({ PUBLIC_URL: appUrl, GATEWAY_PORT: String(gatewayPort), GATEWAY_PUBLIC_URL: gatewayUrl, ...env }, overrides, extend);
  await t.app.listen({ port: appPort, host: '127.0.0.1' });
  const gateway = await buildGatewayApp(t.deps);
  await gateway.listen({ port: gatewayPort, host: '127.0.0.1' });
  return {
    t, appUrl, gatewayUrl, gateway,
    async close() {
      await gateway.close();
      await t.close();
    },
  };
}
