import { expect } from 'chai';
import { CLAIM_LABEL } from './model.js';
import { ClaimIndex } from './reservation-controller.js';

const object = (namespace: string, name: string, claim?: string) => ({ metadata: { namespace, name, ...(claim ? { labels: { [CLAIM_LABEL]: claim } } : {}) } });

describe('controllers/reservation-controller: ClaimIndex', () => {
  it('finds objects by namespace and claim, following relabels and deletes', () => {
    const index = new ClaimIndex();
    index.update('ADDED', object('a', 'x', 'c1'));
    index.update('ADDED', object('a', 'y', 'c1'));
    index.update('ADDED', object('b', 'z', 'c1'));
    expect(index.keys('a', 'c1').sort()).to.deep.equal(['a/x', 'a/y']);
    index.update('MODIFIED', object('a', 'x', 'c2')); // a StatefulSet pod's reservation handed to a new claim
    expect(index.keys('a', 'c1')).to.deep.equal(['a/y']);
    expect(index.keys('a', 'c2')).to.deep.equal(['a/x']);
    index.update('DELETED', object('a', 'y', 'c1'));
    index.update('MODIFIED', object('b', 'z'));
    expect(index.keys('a', 'c1')).to.deep.equal([]);
    expect(index.keys('b', 'c1')).to.deep.equal([]);
  });
});
