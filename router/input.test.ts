// Hostile and malformed input (issue 8 defects 2, 3, 4, 8, 9, 10): each is
// rejected with a reason, counted, logged once without its payload, and the
// router goes on with the next message. Over MQTT through the embedded Aedes
// where the broker lets the message through; through RouterCore directly for
// what a broker refuses before it reaches the router (U+0000, oversize).
import { expect } from 'chai';
import { memoryLogger } from '../lib/log.js';
import { createRegistry, startHealthServer } from '../lib/metrics.js';
import { redactUrl } from '../lib/mqtt.js';
import { waitFor } from '../lib/wait.js';
import { encodeMessage } from '../proto/remote.js';
import { startBroker } from './broker.js';
import { RouterCore } from './core.js';
import { type RouterMetrics, routerMetrics } from './metrics.js';
import { FileBindings } from './ownership.js';
import { startRouter } from './service.js';
import { MemoryStore } from './store.js';
import type { FakeAgent } from './testing/agent.js';
import { sample } from './testing/metrics.js';
import { RouterFixture } from './testing/router.js';
import { checkNetwork } from './validation.js';

const E1 = '2001:db8:1::4d2:1';
const E2 = '2001:db8:2::4d2:1';
/** In node2's /64, same VPC as E1, another attachment (2). */
const E2_OTHER_ATTACHMENT = '2001:db8:2::4d2:2';

describe('router input hygiene, ownership and quotas', function () {
  this.timeout(30_000);

  describe('over MQTT', () => {
    const fixture = new RouterFixture();
    const start = (overrides: Parameters<RouterFixture['start']>[0] = {}): Promise<void> => fixture.start(overrides);
    const agent = (worker: string): Promise<FakeAgent> => fixture.agent(worker);
    const dropped = (reason: string): Array<Record<string, unknown>> => fixture.logger.lines.filter((l) => l.msg === 'dropped invalid message' && l.reason === reason);
    /** node1 and node2 register and see each other: the router is still processing. */
    const stillProcessing = async (): Promise<void> => {
      const [node1, node2] = [await agent('node1'), await agent('node2')];
      await node1.register('10.1.1.1/32', E1);
      await node2.register('10.1.1.2/32', E2);
      await node2.waitForRoutes(1);
      expect(node2.rows()).to.include(`${E2} 10.1.1.1/32 → ${E1}`);
    };

    afterEach(() => fixture.stop());

    it('a worker name of 3,000 characters is rejected (reason worker) and the next message is handled', async () => {
      await start();
      const long = await agent('n'.repeat(3000));
      await long.register('10.1.1.9/32', E1);
      await stillProcessing();
      expect(sample(await fixture.metrics(), 'galactic_router_rejected_messages_total', { reason: 'worker' })).to.equal(1);
      expect(await fixture.router.store.count()).to.equal(2);
      const [line] = dropped('worker');
      expect(String(line!.error)).to.match(/^worker name "n{80}"… \(3000 characters\) must be 1 to 253 characters of A-Z a-z 0-9 \. _ -$/);
      expect(JSON.stringify(line).length).to.be.below(1000);
    });

    it('a network with host bits set is rejected, never stored beside its canonical twin', async () => {
      await start();
      const node1 = await agent('node1');
      await node1.register('10.1.1.77/24', E1);
      await node1.register('10.1.1.0/24', E1);
      await stillProcessing();
      expect(dropped('network').map((l) => l.error)).to.deep.equal(['network "10.1.1.77/24" has host bits set; send 10.1.1.0/24']);
      expect((await fixture.router.store.vpc('0000000004d2')).map((r) => r.network).sort()).to.deep.equal(['10.1.1.0/24', '10.1.1.1/32', '10.1.1.2/32']);
    });

    it('an endpoint outside the sender\'s prefix is rejected: a worker cannot register a SID of another node', async () => {
      await start();
      const node1 = await agent('node1');
      await node1.register('10.1.1.1/32', E1); // binds node1 to 2001:db8:1::/64
      const node2 = await agent('node2');
      await node2.register('10.9.9.9/32', '2001:db8:1::4d2:7'); // inside node1's /64
      await node2.register('10.1.1.2/32', E2);
      await node2.waitForRoutes(1);
      const [line] = dropped('ownership');
      expect(line).to.include({ worker: 'node2' });
      expect(String(line!.error)).to.equal('srv6_endpoint 2001:db8:1::4d2:7 lies in 2001:db8:1::/64, which belongs to another worker ("node1")');
      // And once bound, node1 cannot use a second /64.
      await node1.register('10.1.1.3/32', '2001:db8:3::4d2:1');
      await waitFor(() => dropped('ownership').length === 2, { what: 'the second ownership rejection' });
      expect(dropped('ownership')[1]!.error).to.equal('srv6_endpoint 2001:db8:3::4d2:1 is outside 2001:db8:1::/64, the srv6_net worker "node1" is bound to');
      expect(await fixture.router.store.count()).to.equal(2);
    });

    it('a network another attachment holds cannot be taken; the same attachment may move', async () => {
      await start();
      const [node1, node2] = [await agent('node1'), await agent('node2')];
      await node1.register('10.1.1.1/32', E1);
      await node2.register('10.1.1.1/32', E2_OTHER_ATTACHMENT); // another attachment: a takeover
      await node2.register('10.1.1.1/32', E2); // attachment 1 on node2: a move
      await waitFor(() => fixture.logger.lines.some((l) => l.msg === 'registered' && l.worker === 'node2'), { what: 'the move' });
      expect(dropped('ownership').map((l) => l.error)).to.deep.equal([
        'network 10.1.1.1/32 of VPC 0000000004d2 is held by another attachment (2001:db8:1::4d2:1); only the same attachment may move it',
      ]);
      expect(await fixture.router.store.vpc('0000000004d2')).to.have.length(1).and.to.have.nested.property('[0].endpoint', E2);
    });

    it('with a workers file, a worker not in it may register nothing', async () => {
      await start({ workers: FileBindings.parse('node1: 2001:db8:1::/64\nnode2: 2001:db8:2::/48\n', 'test') });
      const node3 = await agent('node3');
      await node3.register('10.1.1.3/32', '2001:db8:3::4d2:1');
      await stillProcessing();
      expect(dropped('ownership').map((l) => l.error)).to.deep.equal(['worker "node3" is not in the workers file; add it with its srv6_net']);
    });

    it('per-worker quotas: registrations stored, resync rate; counted; other workers unaffected', async () => {
      await start({ limits: { maxRegistrationsPerWorker: 2, resyncRate: { burst: 2, perMinute: 1 } } });
      const [node1, node2] = [await agent('node1'), await agent('node2')];
      for (const network of ['10.1.1.1/32', '10.1.2.1/32', '10.1.3.1/32']) await node1.register(network, E1);
      await node1.register('10.1.1.1/32', E1); // a network it holds already: not a new registration
      for (const id of ['a', 'b', 'c']) await node1.send({ kind: 'resync', requestId: id });
      await node2.register('10.1.9.1/32', E2);
      await node2.send({ kind: 'resync', requestId: 'n2' });
      await waitFor(() => node2.received.some((m) => m.kind === 'resyncComplete'), { what: 'node2\'s resync answer' });
      expect(node1.received.filter((m) => m.kind === 'resyncComplete').map((m) => (m.kind === 'resyncComplete' ? m.requestId : ''))).to.deep.equal(['a', 'b']);
      expect((await fixture.router.store.vpc('0000000004d2')).map((r) => `${r.worker} ${r.network}`).sort()).to.deep.equal(['node1 10.1.1.1/32', 'node1 10.1.2.1/32', 'node2 10.1.9.1/32']);
      const text = await fixture.metrics();
      expect(sample(text, 'galactic_router_quota_exceeded_total', { quota: 'registrations' })).to.equal(1);
      expect(sample(text, 'galactic_router_quota_exceeded_total', { quota: 'resync' })).to.equal(1);
      expect(sample(text, 'galactic_router_rejected_messages_total', { reason: 'quota' })).to.equal(2);
    });
  });

  describe('in the router core', () => {
    let logger: ReturnType<typeof memoryLogger>;
    let metrics: RouterMetrics;
    let core: RouterCore;
    beforeEach(() => {
      logger = memoryLogger('router');
      metrics = routerMetrics(createRegistry('test', { defaults: false }));
      core = new RouterCore({ store: new MemoryStore(), topicBase: 'galactic/', logger, metrics });
    });

    it('a worker name with U+0000 is rejected (reason worker)', async () => {
      expect(await core.handle('galactic/node\u00001/send', encodeMessage({ kind: 'register', network: '10.1.1.1/32', srv6Endpoint: E1 }))).to.deep.equal([]);
      expect((await metrics.rejected.get()).values.find((v) => v.labels.reason === 'worker')?.value).to.equal(1);
    });

    it('a message over the size limit is rejected before it is decoded, logged once without its payload', async () => {
      const huge = encodeMessage({ kind: 'register', network: `10.1.1.1/32${'x'.repeat(70_000)}`, srv6Endpoint: E1 });
      expect(await core.handle('galactic/node1/send', huge)).to.deep.equal([]);
      expect(logger.lines).to.have.length(1);
      expect(logger.lines[0]).to.include({ reason: 'size', bytes: huge.length, error: `message of ${huge.length} bytes exceeds the limit of 65536 bytes (--max-message-bytes)` });
      expect(JSON.stringify(logger.lines[0]).length).to.be.below(500);
    });

    it('a long invalid field is quoted truncated, once', async () => {
      await core.handle('galactic/node1/send', encodeMessage({ kind: 'register', network: 'y'.repeat(20_000), srv6Endpoint: E1 }));
      expect(logger.lines).to.have.length(1);
      expect(JSON.stringify(logger.lines[0]).length).to.be.below(500);
      expect(logger.lines[0]!.error).to.match(/^network "y{80}"… \(20000 characters\) is not address\/prefix-length/);
    });
  });

  describe('networks', () => {
    it('only the canonical form is accepted, with the form to send', () => {
      expect(checkNetwork('10.1.1.0/24')).to.equal('10.1.1.0/24');
      expect(checkNetwork('2001:db8::/64')).to.equal('2001:db8::/64');
      expect(() => checkNetwork('10.1.1.77/24')).to.throw('network "10.1.1.77/24" has host bits set; send 10.1.1.0/24');
      expect(() => checkNetwork('2001:DB8:0::/64')).to.throw('network "2001:DB8:0::/64" is not in canonical form (lower-case, compressed); send 2001:db8::/64');
      expect(() => checkNetwork('10.1.1.1')).to.throw(/is not address\/prefix-length/);
    });
  });

  describe('workers file', () => {
    it('maps worker names to IPv6 prefixes of /64 or shorter, and names what is wrong', () => {
      expect(FileBindings.parse('{"node1": "2001:db8:1::/64"}', 'f').kind).to.equal('file');
      expect(() => FileBindings.parse('- node1', 'f')).to.throw('f: expected a mapping of worker name to srv6_net, e.g. "node1: 2001:db8:1::/64"');
      expect(() => FileBindings.parse('node1: 10.0.0.0/8', 'f')).to.throw('f: node1: srv6_net must be an IPv6 prefix of /64 or shorter, e.g. 2001:db8:1::/64, got "10.0.0.0/8"');
      expect(() => FileBindings.parse('"node 1": 2001:db8:1::/64', 'f')).to.throw(/f: worker name "node 1" must be/);
    });
  });

  describe('secrets and surfaces', () => {
    it('MQTT URLs are logged without their password', async () => {
      expect(redactUrl('mqtt://router:s3cret@broker:1883')).to.equal('mqtt://router:***@broker:1883');
      expect(redactUrl('tcp://[2001:db8::1]:1883')).to.equal('tcp://[2001:db8::1]:1883');
      const broker = await startBroker({ port: 0, host: '127.0.0.1', topicBase: 'galactic/', logger: memoryLogger('broker') });
      const logger = memoryLogger('router');
      try {
        const router = await startRouter({ mqtt: { qos: 1, clientId: 'router', url: `mqtt://router:s3cret@127.0.0.1:${broker.port}` }, topicBase: 'galactic/', dbUrl: ':memory:', holddownMs: 0, logger });
        await router.ready;
        await router.stop();
      } finally {
        await broker.close();
      }
      const text = JSON.stringify(logger.lines);
      expect(text).to.include('mqtt://router:***@127.0.0.1');
      expect(text).to.not.include('s3cret');
    });

    it('/metrics and /state listen on 127.0.0.1 unless configured', async () => {
      const server = await startHealthServer({ port: 0, registry: createRegistry('test', { defaults: false }) });
      try {
        expect((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status).to.equal(200);
        // Bound to 0.0.0.0 it would answer on 127.0.0.2 (any loopback address) too.
        const elsewhere = await fetch(`http://127.0.0.2:${server.port}/healthz`).then(() => 'answered', (error: Error) => String((error.cause as { code?: string })?.code));
        expect(elsewhere).to.equal('ECONNREFUSED');
      } finally {
        await server.close();
      }
    });
  });
});

