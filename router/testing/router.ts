// Test support: a router in this process with its embedded broker on a free
// loopback port and an in-memory store, for tests that need a control plane.
import { memoryLogger } from '../../lib/log.js';
import { type RouterConfig, type RouterHandle, startRouter } from '../service.js';

export interface TestRouter {
  router: RouterHandle;
  /** mqtt://127.0.0.1:<port> of the embedded broker. */
  url: string;
  logger: ReturnType<typeof memoryLogger>;
}

export async function startTestRouter(overrides: Partial<RouterConfig> = {}): Promise<TestRouter> {
  const logger = memoryLogger('router');
  const router = await startRouter({
    mqtt: { qos: 1, clientId: 'galactic-router-test' },
    topicBase: 'galactic/',
    dbUrl: ':memory:',
    holddownMs: 10_000,
    embeddedBroker: { port: 0, host: '127.0.0.1' },
    logger,
    ...overrides,
  });
  await router.ready;
  return { router, url: `mqtt://127.0.0.1:${router.broker!.port}`, logger };
}
