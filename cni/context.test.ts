import { expect } from 'chai';
import { withoutIpArg } from './context.js';

describe('CNI_ARGS handed to host-device', () => {
  it("drops Multus's IP= (the pod's ips, already the static IPAM's addresses) and keeps the rest", () => {
    // as Multus v4 builds it for a network selection with `ips`
    const fromMultus = 'IgnoreUnknown=true;K8S_POD_NAMESPACE=default;K8S_POD_NAME=web-1;K8S_POD_INFRA_CONTAINER_ID=abc;K8S_POD_UID=u1;IP=10.1.1.29/24,2001:10:1:1::7/64';
    expect(withoutIpArg(fromMultus)).to.equal('IgnoreUnknown=true;K8S_POD_NAMESPACE=default;K8S_POD_NAME=web-1;K8S_POD_INFRA_CONTAINER_ID=abc;K8S_POD_UID=u1');
    expect(withoutIpArg('')).to.equal('');
    expect(withoutIpArg('K8S_POD_IP=x;IPX=1')).to.equal('K8S_POD_IP=x;IPX=1');
  });
});
