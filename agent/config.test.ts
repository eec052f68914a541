// `galactic agent` configuration: SPEC §8 keys and defaults, from flags,
// environment (upper case) and a config file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { UsageError, parseOptions } from '../lib/options.js';
import { command, toAgentConfig } from './config.js';

const configOf = (argv: string[], env: NodeJS.ProcessEnv = {}) => toAgentConfig(parseOptions(command, argv, env));

describe('agent configuration', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'galactic-agent-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('has the SPEC §8 defaults', () => {
    const config = configOf([]);
    expect(config.srv6NetText).to.equal('fc00::/56');
    expect(config.socketPath).to.equal('/var/run/galactic/agent.sock');
    expect(config.stateFile).to.equal('/var/run/galactic/agent-state.json');
    expect(config.mqtt).to.deep.equal({ url: 'tcp://mqtt:1883', qos: 1 });
    expect(config.receiveTopic).to.equal('galactic/default/receive');
    expect(config.sendTopic).to.equal('galactic/default/send');
    expect(config.encapDevice).to.equal('lo-galactic');
    expect(config.resyncIntervalMs).to.equal(30_000);
    expect(config.metrics).to.equal(undefined);
  });

  it('reads every key from the environment in upper case', () => {
    const config = configOf([], {
      SRV6_NET: '2001:db8:ff01::/48',
      SOCKET_PATH: '/run/g/agent.sock',
      MQTT_URL: 'tcp://broker:1883',
      MQTT_CLIENTID: 'agent-sjc',
      MQTT_USERNAME: 'sjc',
      MQTT_PASSWORD: 'secret',
      MQTT_QOS: '2',
      MQTT_TOPIC_RECEIVE: 'galactic/sjc/receive',
      MQTT_TOPIC_SEND: 'galactic/sjc/send',
    });
    expect(config.srv6Net.prefixLength).to.equal(48);
    expect(config.stateFile).to.equal('/run/g/agent-state.json');
    expect(config.mqtt).to.deep.equal({ url: 'tcp://broker:1883', qos: 2, clientId: 'agent-sjc', username: 'sjc', password: 'secret' });
    expect([config.receiveTopic, config.sendTopic]).to.deep.equal(['galactic/sjc/receive', 'galactic/sjc/send']);
  });

  it('reads a config file with the SPEC keys; environment and flags win over it', () => {
    const file = join(dir, 'agent.yaml');
    writeFileSync(file, 'srv6_net: 2001:db8:ff02::/48\nmqtt_url: tcp://file:1883\nmqtt_qos: 0\nsocket_path: /run/file/agent.sock\nmetrics_port: 9100\n');
    const fromFile = configOf(['--config', file]);
    expect(fromFile.srv6NetText).to.equal('2001:db8:ff02::/48');
    expect(fromFile.mqtt).to.deep.equal({ url: 'tcp://file:1883', qos: 0 });
    expect(fromFile.metrics).to.deep.equal({ port: 9100, host: '127.0.0.1' }); // this host only unless metrics_host says otherwise
    const overridden = configOf(['--config', file, '--mqtt-url', 'tcp://flag:1883', '--resync-interval', '5', '--encap-device', 'lo'], { MQTT_QOS: '1' });
    expect(overridden.mqtt).to.deep.equal({ url: 'tcp://flag:1883', qos: 1 });
    expect(overridden.resyncIntervalMs).to.equal(5000);
    expect(overridden.encapDevice).to.equal('lo');
  });

  it('rejects what cannot work, naming the option', () => {
    expect(() => configOf(['--srv6-net', '2001:db8::/96'])).to.throw(UsageError, /--srv6-net.*\/64 or shorter/);
    expect(() => configOf(['--srv6-net', '10.0.0.0/8'])).to.throw(UsageError, /must be an IPv6 prefix/);
    expect(() => configOf(['--mqtt-qos', '3'])).to.throw(UsageError, /--mqtt-qos.*0, 1 or 2/);
    expect(() => configOf(['--resync-interval', '0'])).to.throw(UsageError, /--resync-interval/);
    expect(() => configOf(['--encap-device', 'a b'])).to.throw(UsageError, /--encap-device/);
  });
});
