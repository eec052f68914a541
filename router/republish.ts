// What a retry of a handled message publishes again (router/service.ts): each
// route's final state only. The first attempt sent SPEC §9's pairs (a
// re-registration's DELETE then ADD); an attempt fails when any publication is
// not acknowledged in time, and the worker may already hold the pair's ADD.
// Resent whole, the pair's DELETE would remove that route again, for good if
// the resent ADD is then lost (bench/chaos.ts seed 5: two routes lost).
import type { Publication } from './core.js';

/** The publications, keeping of the routes of one worker only the last for each (endpoint, network), in order. */
export function finalStates(publications: readonly Publication[]): Publication[] {
  const last = new Map<string, number>();
  publications.forEach((p, index) => {
    if (p.message.kind === 'route') last.set(`${p.topic} ${p.message.srv6Endpoint} ${p.message.network}`, index);
  });
  return publications.filter((p, index) => p.message.kind !== 'route' || last.get(`${p.topic} ${p.message.srv6Endpoint} ${p.message.network}`) === index);
}
