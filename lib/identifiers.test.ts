import { expect } from 'chai';
import {
  base62ToHex, formatHexIdentifier, fromBase62, hexToBase62, isReservedIdentifier, parseHexIdentifier, randomIdentifier, toBase62,
} from './identifiers.js';

describe('identifiers', () => {
  it('encodes base62 with alphabet 0-9a-zA-Z (SPEC examples)', () => {
    expect(toBase62(1234n)).to.equal('jU');
    expect(toBase62(42n)).to.equal('G');
    expect(toBase62(0n)).to.equal('0');
    expect(toBase62(61n)).to.equal('Z');
    expect(toBase62(62n)).to.equal('10');
  });

  it('decodes base62 and converts hex both ways', () => {
    expect(fromBase62('jU')).to.equal(1234n);
    expect(hexToBase62('0000000004d2')).to.equal('jU');
    expect(base62ToHex('G', 16)).to.equal('002a');
    expect(() => fromBase62('j-U')).to.throw(/not base62/);
    for (const value of [1n, 61n, 62n, 0xfffffffffffen, 0xdeadbeefn]) expect(fromBase62(toBase62(value))).to.equal(value);
  });

  it('formats and parses zero-padded hex', () => {
    expect(formatHexIdentifier(1234n, 48)).to.equal('0000000004d2');
    expect(formatHexIdentifier(42n, 16)).to.equal('002a');
    expect(parseHexIdentifier('4d2', 48)).to.equal(1234n);
    expect(() => parseHexIdentifier('0000000000004d2', 48, 'vpc')).to.throw(/vpc .* 1-12 hex digits/);
    expect(() => formatHexIdentifier(1n << 16n, 16)).to.throw(RangeError);
  });

  it('treats 0 and all-ones as reserved', () => {
    expect(isReservedIdentifier(0n, 16)).to.equal(true);
    expect(isReservedIdentifier(0xffffn, 16)).to.equal(true);
    expect(isReservedIdentifier(0xffffffffffffn, 48)).to.equal(true);
    expect(isReservedIdentifier(1n, 48)).to.equal(false);
  });

  it('never generates a reserved identifier', () => {
    // A source that first yields the reserved values, then a valid one.
    const draws = [Buffer.from('0000', 'hex'), Buffer.from('ffff', 'hex'), Buffer.from('002a', 'hex')];
    expect(randomIdentifier(16, () => draws.shift()!)).to.equal(42n);
    for (let i = 0; i < 1000; i++) {
      const value = randomIdentifier(48);
      expect(isReservedIdentifier(value, 48)).to.equal(false);
      expect(value < 1n << 48n).to.equal(true);
    }
  });
});
