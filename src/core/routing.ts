/** Routing rules as data: category × district × channel → the organisation that can act. */
export interface RoutingRule {
  /** An exact category code, a prefix pattern 'safety.*', or '*'. */
  category: string;
  channel?: string | null;
  city?: string | null;
  districtId?: string | null;
  organisationId: string;
}

export interface RoutingQuery {
  category: string;
  channel: string;
  city: string | null;
  districtId: string | null;
}

function categorySpecificity(pattern: string, category: string): number {
  if (pattern === category) return 3;
  if (pattern.endsWith('.*') && category.startsWith(pattern.slice(0, -1))) return 2;
  if (pattern === '*') return 1;
  return 0;
}

/**
 * The most specific matching rule wins: a district rule over a city rule over a national one, then an
 * exact category over a pattern, then a channel rule over one for every channel. Null when nothing
 * matches: the case goes to the processing centre's triage queue.
 */
export function route(rules: readonly RoutingRule[], q: RoutingQuery): RoutingRule | null {
  let best: RoutingRule | null = null;
  let bestScore = 0;
  for (const rule of rules) {
    const cat = categorySpecificity(rule.category, q.category);
    if (cat === 0) continue;
    if (rule.channel && rule.channel !== q.channel) continue;
    if (rule.districtId && rule.districtId !== q.districtId) continue;
    if (rule.city && rule.city !== q.city) continue;
    const place = rule.districtId ? 3 : rule.city ? 2 : 1;
    const score = place * 100 + cat * 10 + (rule.channel ? 1 : 0);
    if (score > bestScore) {
      best = rule;
      bestScore = score;
    }
  }
  return best;
}
