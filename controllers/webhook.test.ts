import { expect } from 'chai';
import { ATTACHMENT_ANNOTATION, MULTUS_NETWORKS_ANNOTATION, type VpcAttachment } from './model.js';
import { admissionResponse, listsAttachment, mergeNetworks, mutatePod, validatePod } from './webhook.js';

const attachment = (ready: boolean, iface?: string): VpcAttachment => ({
  metadata: { name: 'att', namespace: 'ns' },
  spec: { vpc: { name: 'v' }, interface: { ...(iface ? { name: iface } : {}), addresses: ['10.1.1.1/24'] } },
  status: ready
    ? { ready: true, identifier: '002a', conditions: [{ type: 'Ready', status: 'True', reason: 'Provisioned', message: 'ok', lastTransitionTime: '' }] }
    : { ready: false, conditions: [{ type: 'Ready', status: 'False', reason: 'VPCNotReady', message: 'waiting for VPC ns/v', lastTransitionTime: '' }] },
});

const pod = (annotations: Record<string, string>) => ({ metadata: { name: 'p', annotations } });

describe('controllers/webhook: pod admission decisions', () => {
  describe('mergeNetworks', () => {
    it('writes <attachment>@<interface> when the pod lists no networks', () => {
      expect(mergeNetworks(undefined, 'ns', 'att', 'galactic0')).to.equal('att@galactic0');
    });
    it('appends to a comma list and keeps what is there', () => {
      expect(mergeNetworks('macvlan, other/bridge@eth2', 'ns', 'att', 'galactic0')).to.equal('macvlan, other/bridge@eth2, att@galactic0');
    });
    it('appends to a JSON list', () => {
      const merged = JSON.parse(mergeNetworks('[{"name":"macvlan","interface":"net1"}]', 'ns', 'att', 'g1'));
      expect(merged).to.deep.equal([{ name: 'macvlan', interface: 'net1' }, { name: 'att', interface: 'g1' }]);
    });
    it('leaves the annotation alone when the attachment is already listed', () => {
      expect(mergeNetworks('ns/att@custom', 'ns', 'att', 'galactic0')).to.equal('ns/att@custom');
      expect(mergeNetworks('[{"name":"att"}]', 'ns', 'att', 'galactic0')).to.equal('[{"name":"att"}]');
      expect(mergeNetworks('other/att', 'ns', 'att', 'galactic0')).to.equal('other/att, att@galactic0');
    });
  });

  describe('mutatePod with an allocation (pool attachment)', () => {
    const allocation = { endpoint: '04d2', addresses: ['10.1.1.7/24', '2001:10:1:1::7/64'], claim: 'c1a1m' };
    it('writes the JSON form with ips and cni-args, converting a comma list, and labels the pod with its claim', () => {
      const decision = mutatePod(pod({ [ATTACHMENT_ANNOTATION]: 'att', [MULTUS_NETWORKS_ANNOTATION]: 'macvlan@net1' }), 'ns', attachment(true), allocation);
      const [networks, label] = decision.patch!;
      expect(networks!.op).to.equal('replace');
      expect(JSON.parse(networks!.value as string)).to.deep.equal([
        { name: 'macvlan', interface: 'net1' },
        { name: 'att', interface: 'galactic0', ips: ['10.1.1.7/24', '2001:10:1:1::7/64'], 'cni-args': { vpcattachment: 'jU' } },
      ]);
      expect(label).to.deep.equal({ op: 'add', path: '/metadata/labels', value: { 'galactic.datumapis.com/claim': 'c1a1m' } });
    });
    it('a re-invoked mutation sees the network listed and allocates nothing more', () => {
      const once = mutatePod(pod({ [ATTACHMENT_ANNOTATION]: 'att' }), 'ns', attachment(true), allocation);
      const annotated = pod({ [ATTACHMENT_ANNOTATION]: 'att', [MULTUS_NETWORKS_ANNOTATION]: once.patch![0]!.value as string });
      expect(listsAttachment(annotated, 'ns')).to.equal(true);
      expect(listsAttachment(pod({ [ATTACHMENT_ANNOTATION]: 'att' }), 'ns')).to.equal(false);
    });
  });

  describe('mutatePod', () => {
    it('adds the Multus annotation from the attachment interface name', () => {
      const decision = mutatePod(pod({ [ATTACHMENT_ANNOTATION]: 'att' }), 'ns', attachment(true, 'vpc0'));
      expect(decision).to.deep.equal({
        allowed: true,
        patch: [{ op: 'add', path: '/metadata/annotations/k8s.v1.cni.cncf.io~1networks', value: 'att@vpc0' }],
      });
    });
    it('replaces an existing Multus annotation with the merged list', () => {
      const decision = mutatePod(pod({ [ATTACHMENT_ANNOTATION]: 'att', [MULTUS_NETWORKS_ANNOTATION]: 'macvlan' }), 'ns', attachment(true));
      expect(decision.patch).to.deep.equal([
        { op: 'replace', path: '/metadata/annotations/k8s.v1.cni.cncf.io~1networks', value: 'macvlan, att@galactic0' },
      ]);
    });
    it('does not touch pods without the annotation, or whose attachment is missing', () => {
      expect(mutatePod(pod({}), 'ns', attachment(true))).to.deep.equal({ allowed: true });
      expect(mutatePod(pod({ [ATTACHMENT_ANNOTATION]: 'att' }), 'ns', undefined)).to.deep.equal({ allowed: true });
    });
  });

  describe('validatePod', () => {
    it('allows pods without the annotation and pods whose attachment is ready', () => {
      expect(validatePod(pod({}), 'ns', undefined)).to.deep.equal({ allowed: true });
      expect(validatePod(pod({ [ATTACHMENT_ANNOTATION]: 'att' }), 'ns', attachment(true))).to.deep.equal({ allowed: true });
    });
    it('rejects a pod whose attachment is missing, naming it', () => {
      expect(validatePod(pod({ [ATTACHMENT_ANNOTATION]: 'nope' }), 'ns', undefined)).to.deep.equal({
        allowed: false,
        message: `VPCAttachment ns/nope not found (named by the pod's annotation ${ATTACHMENT_ANNOTATION})`,
      });
    });
    it('rejects a pod whose attachment is not ready, with the reason', () => {
      expect(validatePod(pod({ [ATTACHMENT_ANNOTATION]: 'att' }), 'ns', attachment(false))).to.deep.equal({
        allowed: false,
        message: 'VPCAttachment ns/att is not ready (VPCNotReady: waiting for VPC ns/v)',
      });
    });
    it('rejects an annotation that cannot name an object', () => {
      expect(validatePod(pod({ [ATTACHMENT_ANNOTATION]: 'Not A Name' }), 'ns', undefined).message).to.match(/is not a VPCAttachment name/);
    });
  });

  it('answers with an AdmissionReview carrying the JSON patch in base64 and the denial message', () => {
    const patch = [{ op: 'add' as const, path: '/x', value: 1 }];
    const allowed = admissionResponse('u1', { allowed: true, patch }) as { response: { patch: string; patchType: string } };
    expect(JSON.parse(Buffer.from(allowed.response.patch, 'base64').toString())).to.deep.equal(patch);
    expect(allowed.response.patchType).to.equal('JSONPatch');
    expect(admissionResponse('u2', { allowed: false, message: 'no' })).to.deep.equal({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      response: { uid: 'u2', allowed: false, status: { code: 403, message: 'no' } },
    });
  });
});
