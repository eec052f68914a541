// The install manifests (deploy/, kubectl apply -k) render with kustomize and
// pass the real API server's validation (server-side dry run).
import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import { parseAllDocuments, stringify } from 'yaml';
import { type TestCluster, repoPath, startTestCluster } from '../testing.js';
import { command as brokerCommand } from '../../router/broker-main.js';
import { DEFAULT_TOKEN_AUDIENCE, KUBERNETES_ROUTER_CLIENT_ID } from '../../router/broker-kubernetes.js';

type Manifest = {
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: Record<string, unknown> & { template?: { spec: Record<string, unknown> & { containers: Array<Record<string, unknown>> } } };
  webhooks?: Array<Record<string, unknown>>;
};

/** cert-manager's Issuer and Certificate kinds, schema-less: enough to dry-run our objects of those kinds. */
const certManagerStub = ['issuers', 'certificates'].map((plural) => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${plural}.cert-manager.io` },
  spec: {
    group: 'cert-manager.io',
    scope: 'Namespaced',
    names: { plural, singular: plural.slice(0, -1), kind: plural === 'issuers' ? 'Issuer' : 'Certificate' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
  },
}));

describe('install manifests (deploy/)', function () {
  this.timeout(90_000);
  let cluster: TestCluster;
  let manifests: Manifest[];
  const find = (kind: string, name: string) => manifests.find((m) => m.kind === kind && m.metadata.name === name);

  before(async () => {
    cluster = await startTestCluster({ crds: false });
    manifests = parseAllDocuments(await cluster.kubectl('kustomize', repoPath('deploy'))).map((doc) => doc.toJS() as Manifest);
    await cluster.kubectlIn(certManagerStub.map((crd) => stringify(crd)).join('---\n'), 'apply', '-f', '-');
    await cluster.kubectl('wait', '--for=condition=Established', '--timeout=60s', 'crd/issuers.cert-manager.io', 'crd/certificates.cert-manager.io');
  });
  after(async () => cluster?.stop());

  it('render everything the install needs, in galactic-system', () => {
    const names = manifests.map((m) => `${m.kind}/${m.metadata.name}`);
    expect(names).to.include.members([
      'Namespace/galactic-system',
      'CustomResourceDefinition/vpcs.galactic.datumapis.com',
      'CustomResourceDefinition/vpcattachments.galactic.datumapis.com',
      'CustomResourceDefinition/network-attachment-definitions.k8s.cni.cncf.io',
      'ServiceAccount/galactic-operator',
      'ClusterRole/galactic-operator',
      'ClusterRoleBinding/galactic-operator',
      'Role/galactic-operator-leader-election',
      'Deployment/galactic-operator',
      'Service/galactic-operator-webhook',
      'Certificate/galactic-operator-webhook',
      'MutatingWebhookConfiguration/galactic-operator',
      'ValidatingWebhookConfiguration/galactic-operator',
      'DaemonSet/galactic-agent',
      'DaemonSet/galactic-cni',
      'Deployment/galactic-router',
      'Deployment/galactic-broker',
      'Service/galactic-broker',
      'ServiceAccount/galactic-agent',
      'ClusterRole/galactic-agent',
      'ServiceAccount/galactic-router',
      'ServiceAccount/galactic-broker',
      'ClusterRoleBinding/galactic-broker-token-review',
    ]);
    for (const m of manifests.filter((m) => m.metadata.namespace !== undefined)) expect(m.metadata.namespace, names.join()).to.equal('galactic-system');
  });

  it('pass server-side validation (kubectl apply -k deploy/ --dry-run=server)', async () => {
    const out = await cluster.kubectl('apply', '-k', repoPath('deploy'), '--dry-run=server');
    const lines = out.trim().split('\n');
    expect(lines).to.have.length(manifests.length);
    for (const line of lines) expect(line).to.match(/(created|configured|unchanged) \(server dry run\)$/);
  });

  it('run the agent as SPEC §10 says: host network, NET_ADMIN, /var/run/galactic, not on the control plane', () => {
    const agent = find('DaemonSet', 'galactic-agent')!.spec!.template!.spec;
    expect(agent.hostNetwork).to.equal(true);
    const container = agent.containers[0] as { securityContext: { capabilities: { add: string[] } }; volumeMounts: Array<{ mountPath: string }> };
    expect(container.securityContext.capabilities.add).to.include('NET_ADMIN');
    expect(container.volumeMounts.map((v) => v.mountPath)).to.include('/var/run/galactic');
    expect(JSON.stringify(agent.affinity)).to.contain('"key":"node-role.kubernetes.io/control-plane","operator":"DoesNotExist"');
    const cni = find('DaemonSet', 'galactic-cni')!.spec!.template!.spec;
    expect(cni.containers[0]!.args).to.deep.equal(['install-cni', '--dir', '/host/opt/cni/bin', '--wait']);
    expect(JSON.stringify(cni.volumes)).to.contain('"path":"/opt/cni/bin"');
  });

  it('need nothing per node, and only the image make image writes', async () => {
    const agent = find('DaemonSet', 'galactic-agent')!.spec!.template!.spec;
    const container = agent.containers[0] as { args: string[]; env: Array<{ name: string; valueFrom?: unknown }> };
    expect(container.args).to.deep.equal(['agent', '--prepare-host']);
    expect(container.env.find((e) => e.name === 'NODE_NAME')?.valueFrom).to.deep.equal({ fieldRef: { fieldPath: 'spec.nodeName' } });
    expect(JSON.stringify(agent.volumes)).to.not.contain('/etc/galactic');
    const { version } = JSON.parse(await readFile(repoPath('package.json'), 'utf8')) as { version: string };
    const containers = manifests.flatMap((m) => [...(m.spec?.template?.spec.containers ?? []), ...((m.spec?.template?.spec.initContainers as Array<Record<string, unknown>> | undefined) ?? [])]);
    expect(containers.length).to.be.greaterThan(4);
    for (const c of containers) expect(c, JSON.stringify(c)).to.include({ image: `galactic:${version}`, imagePullPolicy: 'IfNotPresent' });
    const config = manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name.startsWith('galactic-config')) as unknown as { data: Record<string, string> };
    expect(Object.keys(config.data).sort()).to.deep.equal(['MQTT_URL', 'SRV6_NODE_PREFIX_LENGTH', 'SRV6_POOL']);
  });

  it("log agents and the router in to the bundled broker with projected tokens it can review (galactic broker --kubernetes-auth)", () => {
    type Pod = { serviceAccountName?: string; volumes: Array<{ name: string; projected?: { sources: Array<{ serviceAccountToken?: { audience: string; path: string } }> } }>; containers: Array<{ args: string[]; env: Array<{ name: string; value?: string }>; volumeMounts: Array<{ name: string; mountPath: string }> }> };
    const pod = (kind: string, name: string) => find(kind, name)!.spec!.template!.spec as unknown as Pod;
    const broker = pod('Deployment', 'galactic-broker');
    expect(broker.containers[0]!.args).to.include('--kubernetes-auth');
    const binding = find('ClusterRoleBinding', 'galactic-broker-token-review') as unknown as { roleRef: { name: string }; subjects: Array<{ name: string; namespace: string }> };
    expect(binding.roleRef.name).to.equal('system:auth-delegator');
    expect(binding.subjects).to.deep.equal([{ kind: 'ServiceAccount', name: broker.serviceAccountName, namespace: 'galactic-system' }]);
    const login = (spec: Pod) => {
      const env = Object.fromEntries(spec.containers[0]!.env.map((e) => [e.name, e.value]));
      const file = env['MQTT_PASSWORD_FILE']!;
      const mount = spec.containers[0]!.volumeMounts.find((m) => file.startsWith(`${m.mountPath}/`))!;
      const token = spec.volumes.find((v) => v.name === mount.name)!.projected!.sources[0]!.serviceAccountToken!;
      return { clientId: env['MQTT_CLIENTID'], serviceAccount: `galactic-system/${spec.serviceAccountName}`, audience: token.audience, file: `${mount.mountPath}/${token.path}` === file };
    };
    // What galactic broker expects by default (router/broker-main.ts, router/broker-kubernetes.ts).
    expect(login(pod('DaemonSet', 'galactic-agent'))).to.deep.equal({ clientId: '$(NODE_NAME)', serviceAccount: 'galactic-system/galactic-agent', audience: DEFAULT_TOKEN_AUDIENCE, file: true });
    expect(login(pod('Deployment', 'galactic-router'))).to.deep.equal({ clientId: KUBERNETES_ROUTER_CLIENT_ID, serviceAccount: 'galactic-system/galactic-router', audience: DEFAULT_TOKEN_AUDIENCE, file: true });
    expect(brokerCommand.options.agentServiceAccount.default).to.equal('galactic-system/galactic-agent');
    expect(brokerCommand.options.routerServiceAccount.default).to.equal('galactic-system/galactic-router');
  });

  it('size V8 for the memory limit in the router and the broker, which take bursts of every worker\'s messages', () => {
    type Container = { env?: Array<{ name: string; value?: string }>; resources: { limits: { memory: string } } };
    for (const name of ['galactic-router', 'galactic-broker']) {
      const container = find('Deployment', name)!.spec!.template!.spec.containers[0] as unknown as Container;
      const nodeOptions = container.env?.find((e) => e.name === 'NODE_OPTIONS')?.value ?? '';
      const flag = (flag: string): number => Number(new RegExp(`--${flag}=(\\d+)`).exec(nodeOptions)?.[1] ?? NaN);
      const limitMiB = Number(/^(\d+)Mi$/.exec(container.resources.limits.memory)?.[1]);
      // V8's defaults let a burst's garbage grow the heap toward the limit (bench/router.ts: the broker at 222 MB of 256Mi).
      expect(flag('max-semi-space-size'), `${name}: NODE_OPTIONS ${nodeOptions}`).to.be.at.most(4);
      // Old space, three semi-spaces, and ~50 MiB of code and native memory under the limit.
      expect(flag('max-old-space-size') + 3 * flag('max-semi-space-size') + 50, `${name}: NODE_OPTIONS ${nodeOptions}, limit ${container.resources.limits.memory}`).to.be.at.most(limitMiB);
    }
  });

  it('send only annotated pods to the webhook, at the paths the operator serves', () => {
    for (const [kind, path] of [
      ['MutatingWebhookConfiguration', '/mutate-pods'],
      ['ValidatingWebhookConfiguration', '/validate-pods'],
    ] as const) {
      const webhook = find(kind, 'galactic-operator')!.webhooks![0] as {
        clientConfig: { service: { path: string; name: string } };
        matchConditions: Array<{ expression: string }>;
        failurePolicy: string;
      };
      expect(webhook.clientConfig.service).to.include({ path, name: 'galactic-operator-webhook' });
      expect(webhook.matchConditions[0]!.expression).to.contain("'k8s.v1alpha.galactic.datumapis.com/vpc-attachment' in object.metadata.annotations");
      expect(webhook.failurePolicy).to.equal('Fail');
    }
  });
});
