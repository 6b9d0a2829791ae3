import { formatAssignments, parseAnonymousId, parseAssignments } from './experiment-headers.js';
import { peerTrust } from './peer-trust.js';
import { anonymousId, experimentSubject } from './subject.js';

describe('assignment headers', () => {
  it('round-trips assignments and drops entries that are not name=variant', () => {
    const header = formatAssignments(new Map([['search-ranking', 'treatment'], ['other', 'control']]));
    expect(header).toBe('search-ranking=treatment, other=control');
    expect([...parseAssignments(header)]).toEqual([['search-ranking', 'treatment'], ['other', 'control']]);
    expect([...parseAssignments('a=b=c, =x, Upper=x, ok=yes, ;drop table')]).toEqual([['ok', 'yes']]);
    expect(parseAssignments(undefined).size).toBe(0);
  });

  it('accepts only a 32-hex anonymous id', () => {
    expect(parseAnonymousId('0123456789abcdef0123456789abcdef')).toBe('0123456789abcdef0123456789abcdef');
    expect(parseAnonymousId('0123456789ABCDEF0123456789ABCDEF')).toBeUndefined();
    expect(parseAnonymousId(['0123456789abcdef0123456789abcdef'])).toBeUndefined();
  });
});

describe('anonymous subjects', () => {
  it('hashes X-Client-Id when well-formed, else address (/64 for IPv6) and User-Agent', () => {
    const id = anonymousId('installation-0001-abcdef', '203.0.113.9', 'ua');
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    // The client id wins over a changing address.
    expect(anonymousId('installation-0001-abcdef', '198.51.100.1', 'other')).toBe(id);
    // Too short to be an installation id: the address and browser count.
    expect(anonymousId('short', '203.0.113.9', 'ua')).toBe(anonymousId(undefined, '203.0.113.9', 'ua'));
    expect(anonymousId(undefined, '2001:db8:1:2::5', 'ua')).toBe(anonymousId(undefined, '2001:db8:1:2::9', 'ua'));
    expect(anonymousId(undefined, '203.0.113.9', 'ua')).not.toBe(anonymousId(undefined, '203.0.113.9', 'ua2'));
  });

  it('keeps users and anonymous callers apart', () => {
    expect(experimentSubject('42', () => 'x')).toEqual({ id: 'user:42', loggedIn: true });
    expect(experimentSubject(undefined, () => 'ab')).toEqual({ id: 'anonymous:ab', loggedIn: false });
  });
});

describe('peerTrust', () => {
  it('believes only the TRUST_PROXY addresses, IPv4-mapped ones included', () => {
    const trusted = peerTrust(['127.0.0.1', '::1', '10.0.0.0/8']);
    expect(trusted('127.0.0.1')).toBe(true);
    expect(trusted('::ffff:127.0.0.1')).toBe(true);
    expect(trusted('10.1.2.3')).toBe(true);
    expect(trusted('192.168.1.1')).toBe(false);
    expect(trusted(undefined)).toBe(false);
    expect(peerTrust(false)('127.0.0.1')).toBe(false);
    expect(peerTrust(true)('192.168.1.1')).toBe(true);
  });
});
