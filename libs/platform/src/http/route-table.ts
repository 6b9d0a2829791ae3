import type { FastifyInstance } from 'fastify';

/** Preflight routes (CORS answers OPTIONS on `*`) say nothing about which methods a path has. */
const IGNORED_METHODS = new Set(['OPTIONS']);

function templatePattern(template: string): RegExp {
  const source = template
    .split('/')
    .map((segment) => {
      if (segment === '*') return '.*';
      if (segment.startsWith(':')) return '[^/]+';
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${source}/?$`);
}

/**
 * The methods of every route, by URL template, for `405 Method Not Allowed`
 * with `Allow` (Fastify answers 404 for a known path with an unknown method).
 * Only consulted when no route matched, so the linear scan costs nothing on
 * the paths that matter.
 */
export class RouteTable {
  private readonly methods = new Map<string, Set<string>>();
  private readonly patterns = new Map<string, RegExp>();

  add(template: string, methods: string | readonly string[]): void {
    let known = this.methods.get(template);
    if (!known) {
      this.methods.set(template, (known = new Set()));
      this.patterns.set(template, templatePattern(template));
    }
    for (const method of typeof methods === 'string' ? [methods] : methods) {
      if (!IGNORED_METHODS.has(method.toUpperCase())) known.add(method.toUpperCase());
    }
  }

  /** The methods some route offers for this concrete path (no query), sorted; empty when the path is unknown. */
  allowedMethods(path: string): string[] {
    const allowed = new Set<string>();
    for (const [template, pattern] of this.patterns) {
      if (pattern.test(path)) for (const method of this.methods.get(template) ?? []) allowed.add(method);
    }
    return [...allowed].sort();
  }

  /** Records every route the instance gets from now on (call before any route is added). */
  static collect(fastify: FastifyInstance): RouteTable {
    const table = new RouteTable();
    fastify.addHook('onRoute', (route) => table.add(route.url, route.method));
    return table;
  }
}
