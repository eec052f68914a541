// `galactic agent`: finds its srv6_net (flag, or its Node), prepares the host
// when asked, checks the host prerequisites, then runs the agent until
// SIGTERM/SIGINT. Stopping leaves the data path in place: a restarted agent
// finds its routes and changes nothing that is right.
import { type Subscription, firstValueFrom, share } from 'rxjs';
import { ipRoute2 } from '../lib/iproute.js';
import { SRV6_NET_ANNOTATION } from '../lib/kube-nodes.js';
import { type Logger, createLogger } from '../lib/log.js';
import { redactUrl } from '../lib/mqtt.js';
import { type OptionValues, parseOptions } from '../lib/options.js';
import { type Shutdown, listenForShutdown } from '../lib/shutdown.js';
import { startAgent } from './agent.js';
import { command, toAgentConfig } from './config.js';
import { describeAction, prepareHost } from './host-preparation.js';
import { awaitNodeSrv6Net, kubeNodeSource } from './nodes.js';
import { checkPrerequisites, formatPrerequisiteErrors } from './prerequisites.js';
import { underlayLoop } from './underlay.js';

export { command };

export async function run(argv: string[]): Promise<number> {
  const options = parseOptions(command, argv);
  const logger = createLogger('agent');
  const shutdown = listenForShutdown(logger);
  try {
    return await runUntilStopped(options, logger, shutdown);
  } catch (error) {
    if (shutdown.signal.aborted) return 0; // stopped while waiting during start-up
    throw error;
  } finally {
    shutdown.dispose();
  }
}

async function runUntilStopped(options: OptionValues<(typeof command)['options']>, logger: Logger, shutdown: Shutdown): Promise<number> {
  const nodes = options.nodeName !== undefined ? kubeNodeSource(options.kubeconfig) : undefined;
  const fromNode = options.srv6Net === undefined && nodes !== undefined && options.nodeName !== undefined;
  const srv6Net = fromNode ? await awaitNodeSrv6Net(nodes, options.nodeName!, logger, { signal: shutdown.signal }) : options.srv6Net;
  let config;
  try {
    config = toAgentConfig({ ...options, ...(srv6Net !== undefined ? { srv6Net } : {}) });
  } catch (error) {
    if (!fromNode) throw error;
    process.stderr.write(`galactic agent: node ${options.nodeName}: ${SRV6_NET_ANNOTATION} ${JSON.stringify(srv6Net)}: ${(error as Error).message}\n`);
    return 1;
  }
  let underlay: Subscription | undefined;
  if (options.prepareHost) {
    if (nodes !== undefined && options.nodeName !== undefined) {
      // Underlay routes first: the uplink they use is among the links whose sysctls are prepared.
      const passes = underlayLoop({ nodeName: options.nodeName, nodes, ip: ipRoute2(), logger, resyncIntervalMs: config.resyncIntervalMs }).pipe(share());
      underlay = passes.subscribe();
      await firstValueFrom(passes);
    }
    const applied = await prepareHost(config);
    logger.info(applied.length > 0 ? 'host prepared' : 'host already prepared', { changes: applied.map(describeAction) });
  }
  const { errors, warnings } = await checkPrerequisites(config);
  for (const warning of warnings) logger.warn(`prerequisite: ${warning.what}`, { fix: warning.fix });
  if (errors.length > 0) {
    process.stderr.write(`galactic agent: ${formatPrerequisiteErrors(errors)}\n`);
    underlay?.unsubscribe();
    return 1;
  }
  if (shutdown.signal.aborted) {
    underlay?.unsubscribe();
    return 0;
  }
  let agent;
  try {
    agent = await startAgent(config, logger);
  } catch (error) {
    underlay?.unsubscribe(); // nothing may keep the process alive: it exits and the kubelet restarts it
    throw error;
  }
  logger.info('agent started', {
    srv6Net: config.srv6NetText,
    socket: config.socketPath,
    broker: redactUrl(config.mqtt.url),
    send: config.sendTopic,
    receive: config.receiveTopic,
    encapDevice: config.encapDevice,
  });
  await shutdown.requested;
  logger.info('stopping; the data path stays in place');
  underlay?.unsubscribe();
  await agent.close();
  return 0;
}
