// `galactic agent`: checks the host prerequisites, then runs the agent until
// SIGTERM/SIGINT. Stopping leaves the data path in place: a restarted agent
// finds its routes and changes nothing that is right.
import { createLogger } from '../lib/log.js';
import { redactUrl } from '../lib/mqtt.js';
import { parseOptions } from '../lib/options.js';
import { startAgent } from './agent.js';
import { command, toAgentConfig } from './config.js';
import { checkPrerequisites, formatPrerequisiteErrors } from './prerequisites.js';

export { command };

export async function run(argv: string[]): Promise<number> {
  const config = toAgentConfig(parseOptions(command, argv));
  const logger = createLogger('agent');
  const { errors, warnings } = await checkPrerequisites(config);
  for (const warning of warnings) logger.warn(`prerequisite: ${warning.what}`, { fix: warning.fix });
  if (errors.length > 0) {
    process.stderr.write(`galactic agent: ${formatPrerequisiteErrors(errors)}\n`);
    return 1;
  }
  const agent = await startAgent(config, logger);
  logger.info('agent started', {
    srv6Net: config.srv6NetText,
    socket: config.socketPath,
    broker: redactUrl(config.mqtt.url),
    send: config.sendTopic,
    receive: config.receiveTopic,
    encapDevice: config.encapDevice,
  });
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  logger.info('signal received; stopping (the data path stays in place)', { signal });
  await agent.close();
  return 0;
}
