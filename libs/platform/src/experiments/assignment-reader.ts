import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG } from '../config/config.module.js';
import type { ServiceEnv } from '../config/config.js';
import { ANONYMOUS_ID_HEADER, EXPERIMENTS_HEADER, parseAnonymousId, parseAssignments } from './experiment-headers.js';
import { peerTrust } from './peer-trust.js';

/** The gateway's assignment as a service sees it. */
export interface ReceivedAssignments {
  /** Experiment → variant; empty when the caller is in none, or the headers did not come from the gateway. */
  variants: ReadonlyMap<string, string>;
  /** The anonymous caller's hashed id, as the gateway hashed it. */
  anonymousId: string | undefined;
}

const NONE: ReceivedAssignments = { variants: new Map(), anonymousId: undefined };

/**
 * Reads the assignment headers in a service that owns a route under test,
 * believing them only from its TRUST_PROXY addresses, like X-Forwarded-For:
 * a request that reaches the service directly is treated as in no experiment.
 */
@Injectable()
export class AssignmentReader {
  private readonly trusted: (peer: string | undefined) => boolean;

  constructor(@Inject(APP_CONFIG) config: ServiceEnv) {
    this.trusted = peerTrust(config.TRUST_PROXY);
  }

  read(request: FastifyRequest): ReceivedAssignments {
    const header = request.headers[EXPERIMENTS_HEADER];
    if (header === undefined || !this.trusted(request.socket.remoteAddress)) return NONE;
    return { variants: parseAssignments(header), anonymousId: parseAnonymousId(request.headers[ANONYMOUS_ID_HEADER]) };
  }
}
