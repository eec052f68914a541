import { expect } from 'chai';
import { formatHexIdentifier } from '../lib/identifiers.js';
import { IdentifiersExhaustedError, allocateIdentifier } from './allocate.js';

/** A byte source replaying fixed values, to drive the random choice. */
const bytesOf = (...values: number[]) => {
  let i = 0;
  return (n: number) => {
    const value = values[Math.min(i++, values.length - 1)]!;
    return Buffer.from(value.toString(16).padStart(n * 2, '0'), 'hex');
  };
};

describe('controllers/allocate: identifiers', () => {
  it('formats VPC identifiers as 12 and attachment identifiers as 4 lowercase hex digits', () => {
    expect(allocateIdentifier([], 48, bytesOf(0x4d2))).to.equal('0000000004d2');
    expect(allocateIdentifier([], 16, bytesOf(0x2a))).to.equal('002a');
    expect(allocateIdentifier([], 16)).to.match(/^[0-9a-f]{4}$/);
  });

  it('skips identifiers that are taken and the reserved 0 and all-ones values', () => {
    const random = bytesOf(0, 0xffff, 0x2a, 0x2b);
    expect(allocateIdentifier(['002a'], 16, random)).to.equal('002b');
  });

  it('finds the last free identifier of a crowded 16-bit space', () => {
    const taken: string[] = [];
    for (let v = 1; v < 0xffff; v++) if (v !== 0x1234) taken.push(formatHexIdentifier(BigInt(v), 16));
    expect(allocateIdentifier(taken, 16)).to.equal('1234');
  });

  it('fails with IdentifiersExhaustedError when every identifier is taken', () => {
    const taken = Array.from({ length: 0xfffe }, (_, i) => formatHexIdentifier(BigInt(i + 1), 16));
    expect(() => allocateIdentifier(taken, 16)).to.throw(IdentifiersExhaustedError, /65534 16-bit identifiers are taken/);
  });

  it('never returns a taken identifier over many draws', () => {
    const taken = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const id = allocateIdentifier(taken, 16);
      expect(taken.has(id)).to.equal(false);
      taken.add(id);
    }
  });
});
