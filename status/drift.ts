// Drift between what the router says a node should hold and what the node's
// agent received and programmed. Pure: the inputs are the /state documents.

export interface RouterRouteState {
  network: string;
  srv6Endpoint: string;
  srv6Segments: string[];
}

export interface AgentState {
  worker: string;
  srv6Net: string;
  registrations: Array<{ sid: string; vpc: string; attachment: string; networks: string[] }>;
  routes: Array<{ endpoint: string; network: string; segments: string[] }>;
  programmed: Array<{ table: number; network: string; segments: string[] }>;
}

export interface Drift {
  /** The router expects them; the agent does not hold them. */
  missingAtAgent: string[];
  /** The agent holds them; the router does not expect them. */
  staleAtAgent: string[];
  /** The agent holds them; the kernel has no egress route for them. */
  notProgrammed: string[];
}

const routeKey = (endpoint: string, network: string, segments: string[]): string => `${network} → ${segments.join(',')} (for ${endpoint})`;

/** Compares with canonical forms as both sides print them (the agent canonicalises; the router echoes). */
export function computeDrift(expected: RouterRouteState[], agent: AgentState): Drift {
  const canonical = (text: string): string => text.toLowerCase();
  const expectedKeys = new Set(expected.map((r) => canonical(routeKey(r.srv6Endpoint, r.network, r.srv6Segments))));
  const heldKeys = new Set(agent.routes.map((r) => canonical(routeKey(r.endpoint, r.network, r.segments))));
  const programmed = new Set(agent.programmed.map((p) => canonical(`${p.network.includes('/') ? p.network : `${p.network}/${p.network.includes(':') ? 128 : 32}`} → ${p.segments.join(',')}`)));
  return {
    missingAtAgent: [...expectedKeys].filter((k) => !heldKeys.has(k)).sort(),
    staleAtAgent: [...heldKeys].filter((k) => !expectedKeys.has(k)).sort(),
    notProgrammed: agent.routes
      .filter((r) => !programmed.has(canonical(`${r.network} → ${r.segments.join(',')}`)))
      .map((r) => canonical(routeKey(r.endpoint, r.network, r.segments)))
      .sort(),
  };
}

export const hasDrift = (drift: Drift): boolean =>
  drift.missingAtAgent.length + drift.staleAtAgent.length + drift.notProgrammed.length > 0;
