// Azure Functions route templates (`monitors/{id}`, `files/{*path}`, `items/{id:int?}`),
// parsed once so the local router and the OpenAPI document read them the same way.

export interface RouteSegment {
  readonly literal?: string;
  readonly param?: string;
  readonly optional?: boolean;
  readonly catchAll?: boolean;
}

export function parseRouteTemplate(route: string): RouteSegment[] {
  return route
    .split('/')
    .filter(Boolean)
    .map((segment): RouteSegment => {
      const m = /^\{(\*)?([A-Za-z_][A-Za-z0-9_]*)(?::[a-z]+)?(\?)?\}$/.exec(segment);
      if (!m) {
        if (/[{}]/.test(segment)) throw new Error(`unsupported route segment "${segment}" in "${route}"`);
        return { literal: segment.toLowerCase() };
      }
      return { param: m[2]!, ...(m[1] ? { catchAll: true } : {}), ...(m[3] ? { optional: true } : {}) };
    });
}

/** Matches a path below /api (already split, not yet decoded) against a template. */
export function matchRoute(segments: readonly RouteSegment[], parts: readonly string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const part = parts[i];
    if (segment.catchAll) {
      params[segment.param!] = parts.slice(i).map(decode).join('/');
      return params;
    }
    if (part === undefined) {
      if (segment.optional && i === segments.length - 1) return params;
      return undefined;
    }
    if (segment.literal !== undefined) {
      if (decode(part).toLowerCase() !== segment.literal) return undefined;
    } else {
      params[segment.param!] = decode(part);
    }
  }
  return parts.length === segments.length ? params : undefined;
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** `monitors/{id}` → `/api/monitors/{id}` for OpenAPI. */
export function openApiPath(segments: readonly RouteSegment[]): string {
  return `/api/${segments.map((s) => (s.literal ?? `{${s.param}}`)).join('/')}`;
}
