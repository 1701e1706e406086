/**
 * Maps `METHOD /path` to a route. Templates are matched segment by segment; a literal
 * segment beats a `{param}` (so `/v1/resources/count` is never read as a resource id),
 * and a trailing slash is ignored the way API Gateway ignores it.
 */
import { routeKey, type RouteDefinition } from './http/types.js';
import { alarmRoutes } from './routes/alarms.js';
import { changeRoutes } from './routes/changes.js';
import { eventRoutes } from './routes/events.js';
import { iamRoutes } from './routes/iam.js';
import { incidentListRoutes } from './routes/incident-list.js';
import { incidentRoutes } from './routes/incidents.js';
import { orderRoutes } from './routes/orders.js';
import { patchRoutes } from './routes/patches.js';
import { publicScriptRoutes } from './routes/public-scripts.js';
import { resourceRoutes } from './routes/resources.js';
import { runbookRoutes } from './routes/runbooks.js';
import { scriptRoutes } from './routes/scripts.js';
import { warRoomRoutes } from './routes/warrooms.js';

export const ALL_ROUTES: readonly RouteDefinition[] = [
  ...iamRoutes,
  ...resourceRoutes,
  ...scriptRoutes,
  ...publicScriptRoutes,
  ...orderRoutes,
  ...incidentRoutes,
  ...incidentListRoutes,
  ...warRoomRoutes,
  ...eventRoutes,
  ...alarmRoutes,
  ...changeRoutes,
  ...runbookRoutes,
  ...patchRoutes,
];

/** Every route key the simulator serves, e.g. `POST /v1/job/scripts/{script_uuid}`. */
export const ROUTE_KEYS: readonly string[] = ALL_ROUTES.map(routeKey);

interface CompiledRoute {
  readonly route: RouteDefinition;
  readonly key: string;
  readonly segments: readonly ({ readonly literal: string } | { readonly param: string })[];
  /** Literal segments count; more literals = more specific. */
  readonly specificity: number;
}

export interface RouteMatch {
  readonly route: RouteDefinition;
  readonly key: string;
  readonly params: Record<string, string>;
}

function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

function compile(route: RouteDefinition): CompiledRoute {
  const segments = splitPath(route.path).map((segment) => {
    const param = /^\{(\w+)\}$/.exec(segment);
    return param ? { param: param[1] as string } : { literal: segment };
  });
  return { route, key: routeKey(route), segments, specificity: segments.filter((segment) => 'literal' in segment).length };
}

export class Router {
  private readonly byMethod = new Map<string, CompiledRoute[]>();

  constructor(routes: readonly RouteDefinition[] = ALL_ROUTES) {
    for (const route of routes) {
      const list = this.byMethod.get(route.method) ?? [];
      list.push(compile(route));
      this.byMethod.set(route.method, list);
    }
    for (const list of this.byMethod.values()) list.sort((a, b) => b.specificity - a.specificity);
  }

  match(method: string, pathname: string): RouteMatch | undefined {
    const parts = splitPath(pathname);
    for (const candidate of this.byMethod.get(method.toUpperCase()) ?? []) {
      if (candidate.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      const fits = candidate.segments.every((segment, index) => {
        const part = parts[index] as string;
        if ('literal' in segment) return segment.literal === part;
        params[segment.param] = safeDecode(part);
        return true;
      });
      if (fits) return { route: candidate.route, key: candidate.key, params };
    }
    return undefined;
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
