import { expect } from 'chai';
import { local } from './gen/local.js';
import { type Message, WireFormatError, decodeMessage, encodeMessage } from './remote.js';

describe('remote.v1 wire format', () => {
  const messages: Message[] = [
    { kind: 'register', network: '10.1.1.1/32', srv6Endpoint: '2001:db8:ff01::4d2:2a' },
    { kind: 'deregister', network: '2001:10:1:1::1/128', srv6Endpoint: '2001:db8:ff01::4d2:2a' },
    { kind: 'route', network: '192.168.1.0/24', srv6Endpoint: '2001:db8:ff01::4d2:2a', srv6Segments: ['2001:db8:ff02::4d2:2b'], status: 'ADD' },
    { kind: 'route', network: '192.168.1.0/24', srv6Endpoint: '2001:db8:ff01::4d2:2a', srv6Segments: ['2001:db8:ff02::4d2:2b'], status: 'DELETE' },
    { kind: 'resync', requestId: 'r-1' },
    { kind: 'resyncComplete', requestId: 'r-1', routes: 42 },
    { kind: 'summary', requestId: 'b:1', registrations: { count: 2, digest: 'ab' }, routes: { count: 3, digest: 'cd' } },
    { kind: 'summaryReply', requestId: 'b:1', registrations: { count: 0, digest: '' }, routes: { count: 3, digest: 'cd' } },
    { kind: 'registrationSet', setId: 's', part: 1, parts: 2, registrations: [{ network: '10.1.1.1/32', srv6Endpoint: '2001:db8:ff01::4d2:2a' }] },
    { kind: 'routeSet', requestId: 'b:1', part: 0, parts: 1, routes: [{ network: '10.1.1.2/32', srv6Endpoint: '2001:db8:ff01::4d2:2a', srv6Segments: ['2001:db8:ff02::4d2:2b'] }] },
    { kind: 'summaryRequest' },
    // Announcement order: sequences up to 2^53 - 1 (uint64 on the wire).
    { kind: 'register', network: '10.1.1.1/32', srv6Endpoint: '2001:db8:ff01::4d2:2a', sequence: Number.MAX_SAFE_INTEGER },
    { kind: 'deregister', network: '10.1.1.1/32', srv6Endpoint: '2001:db8:ff01::4d2:2a', sequence: 1_795_000_000_000_001 },
    { kind: 'registrationSet', setId: 's', part: 0, parts: 1, registrations: [], sequence: 7 },
    { kind: 'summaryReply', requestId: 'b:2', registrations: { count: 0, digest: '' }, routes: { count: 0, digest: '' }, appliedSequence: 1_795_000_000_000_001 },
  ];
  for (const message of messages) {
    it(`round-trips ${message.kind}${'status' in message ? ` ${message.status}` : ''}`, () => {
      expect(decodeMessage(encodeMessage(message))).to.deep.equal(message);
    });
  }

  it('keeps the field numbers of deployed peers', () => {
    // Envelope.register = field 1 (tag 0x0a), Register.network = 1, srv6_endpoint = 2.
    const bytes = encodeMessage({ kind: 'register', network: 'a', srv6Endpoint: 'b' });
    expect(Buffer.from(bytes).toString('hex')).to.equal('0a060a0161120162');
    // Envelope.route = field 3 (tag 0x1a), Route.status DELETE = field 4 value 1.
    const route = encodeMessage({ kind: 'route', network: 'n', srv6Endpoint: 'e', srv6Segments: ['s'], status: 'DELETE' });
    expect(Buffer.from(route).toString('hex')).to.equal('1a0b0a016e1201651a01732001');
  });

  it('numbers the anti-entropy members from 6 up (old peers ignore them)', () => {
    // Envelope.summary_request = field 10 (tag 0x52), empty.
    expect(Buffer.from(encodeMessage({ kind: 'summaryRequest' })).toString('hex')).to.equal('5200');
    // Envelope.summary = field 6 (tag 0x32), Summary.request_id = 1 (tag 0x0a).
    expect(Buffer.from(encodeMessage({ kind: 'summary', requestId: 'x', registrations: { count: 0, digest: '' }, routes: { count: 0, digest: '' } })).toString('hex')).to.match(/^32..0a0178/);
    // Envelope.route_set = field 9 (tag 0x4a), registration_set = field 8 (tag 0x42).
    expect(Buffer.from(encodeMessage({ kind: 'routeSet', requestId: '', part: 0, parts: 1, routes: [] })).toString('hex')).to.match(/^4a/);
    expect(Buffer.from(encodeMessage({ kind: 'registrationSet', setId: '', part: 0, parts: 1, registrations: [] })).toString('hex')).to.match(/^42/);
  });

  it('carries the announcement sequence as Envelope field 11, outside the oneof (old peers ignore it)', () => {
    const bytes = Buffer.from(encodeMessage({ kind: 'register', network: 'a', srv6Endpoint: 'b', sequence: 1 }));
    // The original register bytes, then field 11 varint (tag 0x58) = 1.
    expect(bytes.toString('hex')).to.equal('0a060a01611201625801');
    expect(() => decodeMessage(Buffer.from('0a060a0161120162' + '58' + 'ffffffffffffffff01', 'hex'))).to.throw(WireFormatError, /sequence .* beyond 2\^53/);
  });

  it('rejects a set part outside its parts, or too many parts', () => {
    const set = (part: number, parts: number): Uint8Array =>
      encodeMessage({ kind: 'routeSet', requestId: 'r', part, parts, routes: [] });
    expect(() => decodeMessage(set(2, 2))).to.throw(WireFormatError, /part 2 of 2/);
    expect(() => decodeMessage(set(0, 0))).to.throw(WireFormatError, /parts must be 1\.\.4096/);
    expect(() => decodeMessage(set(0, 4097))).to.throw(WireFormatError, /part 0 of 4097/);
  });

  it('rejects bytes that are not an Envelope', () => {
    expect(() => decodeMessage(Buffer.from('not protobuf at all'))).to.throw(WireFormatError);
  });

  it('rejects an Envelope without a known member', () => {
    expect(() => decodeMessage(new Uint8Array())).to.throw(WireFormatError, /no known message/);
  });
});

describe('local.v1 messages', () => {
  it('round-trips RegisterRequest and DeregisterReply', () => {
    const request = { vpc: '0000000004d2', vpcattachment: '002a', networks: ['10.1.1.1/32', '192.168.1.0/24'] };
    const decoded = local.v1.RegisterRequest.decode(local.v1.RegisterRequest.encode(request).finish());
    expect(decoded.toJSON()).to.deep.equal(request);
    const reply = local.v1.DeregisterReply.decode(local.v1.DeregisterReply.encode({ confirmed: true }).finish());
    expect(reply.confirmed).to.equal(true);
  });
});
