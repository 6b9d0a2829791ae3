import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import {
  ANONYMOUS_ID_HEADER,
  anonymousId,
  DefinitionsFile,
  EXPERIMENTS_HEADER,
  ExperimentEvaluator,
  experimentSubject,
  formatAssignments,
} from '@app/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { trackAssignment } from './experiment-metrics.js';
import type { RouteAssignment } from './route-assignment.js';

/** The definitions file and the evaluator it keeps up to date (experiments.module.ts). */
export interface LiveExperiments {
  file: DefinitionsFile;
  evaluator: ExperimentEvaluator;
}
export const LIVE_EXPERIMENTS = Symbol('LIVE_EXPERIMENTS');

/** A client-chosen id for anonymous assignment (docs/api.md, "Experiments"). */
export const CLIENT_ID_HEADER = 'x-client-id';

/**
 * The one place that assigns (docs/architecture.md, "Experiments"): the
 * gateway evaluates the experiments of a route for the caller and forwards
 * the result. Signed-in callers are assigned by user id, anonymous ones by
 * the hashed client id.
 */
@Injectable()
export class ExperimentAssigner implements OnApplicationShutdown {
  constructor(@Inject(LIVE_EXPERIMENTS) private readonly live: LiveExperiments) {}

  assign(experiments: readonly string[], request: FastifyRequest, userId: string | undefined): RouteAssignment {
    let anonymous: string | undefined;
    const anonymousOnce = () => (anonymous ??= anonymousId(firstValue(request.headers[CLIENT_ID_HEADER]), request.ip, firstValue(request.headers['user-agent'])));
    const subject = experimentSubject(userId, anonymousOnce);
    const variants = new Map<string, string | undefined>();
    const assigned = new Map<string, string>();
    for (const name of experiments) {
      const variant = this.live.evaluator.assign(name, subject);
      variants.set(name, variant);
      if (variant !== undefined) assigned.set(name, variant);
    }
    if (assigned.size === 0) return { variants, headers: {}, header: undefined };
    const header = formatAssignments(assigned);
    const headers: Record<string, string> = { [EXPERIMENTS_HEADER]: header };
    if (anonymous !== undefined) headers[ANONYMOUS_ID_HEADER] = anonymous;
    return { variants, headers, header };
  }

  /**
   * Everything a route under test does with its assignment: counts the
   * request per variant when it is answered, tells the client its variants
   * (X-Warble-Experiments) and returns the headers for the service.
   */
  forRoute(experiments: readonly string[], request: FastifyRequest, reply: FastifyReply, userId: string | undefined): Record<string, string> {
    const assignment = this.assign(experiments, request, userId);
    trackAssignment(request, assignment);
    if (assignment.header !== undefined) void reply.header(EXPERIMENTS_HEADER, assignment.header);
    return assignment.headers;
  }

  onApplicationShutdown(): void {
    this.live.file.close();
  }
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
