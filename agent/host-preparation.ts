// `galactic agent --prepare-host`: makes this host meet the prerequisites of
// SPEC §6 that it can (the lo-galactic dummy with the SRv6 loopback address,
// the tunnel source, the sysctls, FORWARD accepting the node's srv6_net)
// before they are checked. Planning is pure, from the same facts the check
// reads; a prepared host plans nothing, so running it again changes nothing.
// What a container cannot fix (the vrf module) is left to the check, which
// refuses to start and names the fix.
import { type IpRoute2, ipRoute2, run } from '../lib/iproute.js';
import { loopbackSid } from '../lib/sid.js';
import { writeSysctl } from '../lib/sysctl.js';
import { type HostFacts, type PrerequisiteSettings, checkedInterfaces, forwardAccepts, gatherHostFacts, requiredSysctls } from './prerequisites.js';

export type PrepareAction = { kind: 'ip'; argv: string[] } | { kind: 'sysctl'; key: string; value: string } | { kind: 'ip6tables'; argv: string[] };

/** What would make the facts pass; nothing for what is already right or cannot be done here. */
export function planHostPreparation(facts: HostFacts, settings: PrerequisiteSettings): PrepareAction[] {
  const actions: PrepareAction[] = [];
  const dev = settings.encapDevice;
  const loopback = loopbackSid(settings.srv6Net);
  if (!facts.encapLink) actions.push({ kind: 'ip', argv: ['link', 'add', dev, 'type', 'dummy'] });
  if (!facts.encapLink?.up) actions.push({ kind: 'ip', argv: ['link', 'set', dev, 'up'] });
  if (!facts.encapLink?.addresses.includes(loopback)) actions.push({ kind: 'ip', argv: ['-6', 'addr', 'add', `${loopback}/128`, 'dev', dev, 'nodad'] });
  if (facts.tunsrc !== loopback) actions.push({ kind: 'ip', argv: ['sr', 'tunsrc', 'set', loopback] });
  const required = requiredSysctls(checkedInterfaces(settings, facts.uplinks));
  for (const [key, want] of Object.entries(required)) {
    const have = facts.sysctls[key];
    // Undefined: no vrf module (left to the check), or the device's keys before it exists (the next round).
    if (have !== undefined && have !== want) actions.push({ kind: 'sysctl', key, value: want });
  }
  if (facts.forward !== undefined && !forwardAccepts(facts.forward, settings.srv6Net)) {
    actions.push({ kind: 'ip6tables', argv: ['-I', 'FORWARD', '-d', settings.srv6NetText, '-j', 'ACCEPT'] });
  }
  return actions;
}

export const describeAction = (action: PrepareAction): string =>
  action.kind === 'sysctl' ? `sysctl -w ${action.key}=${action.value}` : `${action.kind === 'ip' ? 'ip' : 'ip6tables'} ${action.argv.join(' ')}`;

/**
 * Plans and applies until nothing is left (a created device's sysctls appear
 * only after it exists); returns every action applied, in order.
 */
export async function prepareHost(settings: PrerequisiteSettings, ip: IpRoute2 = ipRoute2()): Promise<PrepareAction[]> {
  const applied: PrepareAction[] = [];
  for (let round = 0; round < 3; round++) {
    const actions = planHostPreparation(await gatherHostFacts(settings, ip), settings);
    if (actions.length === 0) break;
    for (const action of actions) {
      if (action.kind === 'ip') await ip.run(action.argv);
      else if (action.kind === 'sysctl') await writeSysctl(action.key, action.value);
      else await run(['ip6tables', ...action.argv]);
      applied.push(action);
    }
  }
  return applied;
}
