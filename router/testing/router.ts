// Test support: a router in this process with its embedded broker on a free
// loopback port and an in-memory store, for tests that need a control plane.
import { memoryLogger } from '../../lib/log.js';
import { type RouterConfig, type RouterHandle, startRouter } from '../service.js';
import { FakeAgent } from './agent.js';

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

/** A router per test with fake agents: `start()` in the test, `stop()` in afterEach (also stops the agents). */
export class RouterFixture {
  router!: RouterHandle;
  url!: string;
  logger!: ReturnType<typeof memoryLogger>;
  private readonly agents: FakeAgent[] = [];

  async start(overrides: Partial<RouterConfig> = {}): Promise<void> {
    ({ router: this.router, url: this.url, logger: this.logger } = await startTestRouter({ health: { port: 0, host: '127.0.0.1' }, ...overrides }));
  }

  async agent(worker: string): Promise<FakeAgent> {
    const agent = await FakeAgent.connect(this.url, worker);
    this.agents.push(agent);
    return agent;
  }

  async metrics(): Promise<string> {
    return (await fetch(`http://127.0.0.1:${this.router.healthPort}/metrics`)).text();
  }

  async stop(): Promise<void> {
    await Promise.all(this.agents.splice(0).map((a) => a.close().catch(() => undefined)));
    await this.router?.stop();
  }
}
