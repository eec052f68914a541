// `galactic broker --kubernetes-auth`: MQTT logins with Kubernetes service
// account tokens instead of a credentials file, so a cluster install has a
// per-node identity with nothing to distribute. The password is a projected
// token (audience `galactic-broker`) that the API server checks (TokenReview).
// A token of the agents' service account bound to a pod counts as the worker
// named after that pod's node (the API server adds the node name to tokens
// bound to scheduled pods); a token of the router's service account counts as
// the router. Anything else is refused.
import { createHash } from 'node:crypto';
import { AuthenticationV1Api, type KubeConfig } from '@kubernetes/client-node';
import { type Authenticator, type BrokerIdentity, clientIdBelongsTo } from './broker.js';
import { WORKER_NAME } from './validation.js';

/** The audience agents and the router request for their projected tokens (deploy/). */
export const DEFAULT_TOKEN_AUDIENCE = 'galactic-broker';
/** The API server's extra field on a token bound to a pod on a node. */
export const NODE_NAME_EXTRA = 'authentication.kubernetes.io/node-name';
/**
 * The router's client id (and `<id>-out`) under Kubernetes logins. A worker's
 * client id is exactly its node name; node names have no `:`, so no node can
 * take the router's session, and no node another's.
 */
export const KUBERNETES_ROUTER_CLIENT_ID = 'galactic:router';
/** A reviewed token is trusted this long without asking again (reconnect storms), never past its expiry. */
const REVIEW_CACHE_MS = 60_000;

/** What a TokenReview answers, reduced to what the broker needs. */
export interface TokenReview {
  authenticated: boolean;
  /** e.g. system:serviceaccount:galactic-system:galactic-agent */
  username?: string;
  extra?: Record<string, string[]>;
  error?: string;
}

export type ReviewToken = (token: string, audiences: string[]) => Promise<TokenReview>;

/** TokenReview through the API server (the broker's service account needs `create tokenreviews`). */
export function tokenReviewer(config: KubeConfig): ReviewToken {
  const api = config.makeApiClient(AuthenticationV1Api);
  return async (token, audiences) => {
    const review = await api.createTokenReview({ body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token, audiences } } });
    const status = review.status ?? {};
    return {
      authenticated: status.authenticated === true,
      ...(status.user?.username !== undefined ? { username: status.user.username } : {}),
      ...(status.user?.extra !== undefined ? { extra: status.user.extra } : {}),
      ...(status.error !== undefined ? { error: status.error } : {}),
    };
  };
}

export interface KubernetesAuthOptions {
  review: ReviewToken;
  audience?: string;
  /** `namespace/name` of the agents' service account. */
  agentServiceAccount: string;
  /** `namespace/name` of the router's service account. */
  routerServiceAccount: string;
  clock?: () => number;
}

const serviceAccountUser = (namespacedName: string): string => {
  const [namespace, name, ...rest] = namespacedName.split('/');
  if (!namespace || !name || rest.length > 0) throw new Error(`service account ${JSON.stringify(namespacedName)}: expected namespace/name, e.g. galactic-system/galactic-agent`);
  return `system:serviceaccount:${namespace}:${name}`;
};

/** The identity a reviewed token stands for, or why it stands for none. */
export function identityOfReview(review: TokenReview, users: { agent: string; router: string }): BrokerIdentity | { refused: string } {
  if (!review.authenticated) return { refused: `token not accepted by the API server${review.error ? ` (${review.error.slice(0, 200)})` : ''}` };
  if (review.username === users.router) return { username: 'router', role: 'router' };
  if (review.username !== users.agent) return { refused: `service account ${review.username ?? '(none)'} is neither the agents' nor the router's` };
  const node = review.extra?.[NODE_NAME_EXTRA]?.[0];
  if (node === undefined) return { refused: 'agent token is not bound to a pod on a node: use a projected service account token' };
  if (!WORKER_NAME.test(node)) return { refused: `node name ${JSON.stringify(node.slice(0, 64))} is not a valid worker name` };
  return { username: node, role: 'worker' };
}

export function kubernetesAuthenticator(options: KubernetesAuthOptions): Authenticator {
  const audience = options.audience ?? DEFAULT_TOKEN_AUDIENCE;
  const users = { agent: serviceAccountUser(options.agentServiceAccount), router: serviceAccountUser(options.routerServiceAccount) };
  const clock = options.clock ?? Date.now;
  const reviewed = new Map<string, { identity: BrokerIdentity; until: number }>();
  return {
    describe: `Kubernetes service account tokens (audience ${audience}; agents ${options.agentServiceAccount}, router ${options.routerServiceAccount})`,
    async authenticate(_username, password) {
      const key = createHash('sha256').update(password).digest('hex');
      const now = clock();
      const cached = reviewed.get(key);
      if (cached && cached.until > now) return cached.identity;
      if (cached) reviewed.delete(key);
      const result = identityOfReview(await options.review(password, [audience]), users);
      if ('refused' in result) return result;
      for (const [k, entry] of reviewed) if (entry.until <= now) reviewed.delete(k);
      reviewed.set(key, { identity: result, until: Math.min(now + REVIEW_CACHE_MS, expiryOf(password) ?? Infinity) });
      return result;
    },
    clientIds: (identity) =>
      identity.role === 'router'
        ? { allows: (clientId) => clientIdBelongsTo(KUBERNETES_ROUTER_CLIENT_ID, clientId), text: `${KUBERNETES_ROUTER_CLIENT_ID} or start with ${KUBERNETES_ROUTER_CLIENT_ID}-` }
        : { allows: (clientId) => clientId === identity.username, text: `the node name ${identity.username}` },
  };
}

/** The `exp` of a JWT in ms, unverified (only used to shorten a cache entry of a token the API server accepted). */
function expiryOf(token: string): number | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof payload.exp === 'number' ? payload.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
