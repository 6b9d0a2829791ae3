import proxyAddr from '@fastify/proxy-addr';

/**
 * Whether a request's direct peer is one whose internal headers a service
 * believes: the addresses of TRUST_PROXY (the gateway in front of a service,
 * docs/architecture.md "Client addresses"), compiled by proxy-addr exactly as
 * Fastify compiles it for X-Forwarded-For. `false` believes no one.
 */
export function peerTrust(trustProxy: boolean | string[]): (peer: string | undefined) => boolean {
  if (trustProxy === true) return (peer) => peer !== undefined;
  if (trustProxy === false || trustProxy.length === 0) return () => false;
  const trusted = proxyAddr.compile(trustProxy);
  return (peer) => peer !== undefined && trusted(peer, 0);
}
