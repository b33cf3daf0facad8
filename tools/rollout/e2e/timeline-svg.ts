import type { SentEvent } from './traffic';

/** One second of the rehearsal: the deployed percentage, the share of events that took the API, and the 5XX share. */
export interface TimelinePoint {
  readonly second: number;
  readonly deployedPercentage: number;
  readonly apiShare: number;
  readonly errorRate: number;
}

/**
 * Buckets the events by second since the first one.
 *
 * @param events - the events sent
 * @param tookApi - whether an event went through the API
 * @param got5xx - whether the API answered an event with a 5XX
 */
export function timelinePoints(events: readonly SentEvent[], tookApi: (id: string) => boolean, got5xx: (id: string) => boolean): TimelinePoint[] {
  if (events.length === 0) return [];
  const start = events[0]?.at ?? 0;
  const buckets = new Map<number, SentEvent[]>();
  for (const event of events) {
    const second = Math.floor((event.at - start) / 1000);
    buckets.set(second, [...(buckets.get(second) ?? []), event]);
  }
  return [...buckets.entries()].map(([second, group]) => ({
    second,
    deployedPercentage: group[group.length - 1]?.deployedPercentage ?? 0,
    apiShare: group.filter((e) => tookApi(e.eventId)).length / group.length,
    errorRate: group.filter((e) => got5xx(e.eventId)).length / group.length,
  }));
}

/**
 * An SVG line chart: deployed percentage (grey steps), observed API share (blue) and 5XX share (red), 0–100 %.
 *
 * @param points - one per second
 */
export function timelineSvg(points: readonly TimelinePoint[]): string {
  const width = 800;
  const height = 240;
  const last = Math.max(1, ...points.map((p) => p.second));
  const x = (second: number) => ((second / last) * (width - 40) + 30).toFixed(1);
  const y = (share: number) => (height - 20 - share * (height - 40)).toFixed(1);
  const line = (value: (p: TimelinePoint) => number, color: string) =>
    `<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${points.map((p) => `${x(p.second)},${y(value(p))}`).join(' ')}"/>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<line x1="30" y1="${y(0)}" x2="${width - 10}" y2="${y(0)}" stroke="black"/><line x1="30" y1="${y(1)}" x2="${width - 10}" y2="${y(1)}" stroke="#ddd"/>`,
    `<text x="2" y="${y(1)}">100%</text><text x="2" y="${y(0)}">0%</text><text x="${width - 60}" y="${height - 4}">${last} s</text>`,
    line((p) => p.deployedPercentage / 100, '#999'),
    line((p) => p.apiShare, '#1f77b4'),
    line((p) => p.errorRate, '#d62728'),
    `<text x="40" y="14" fill="#999">deployed %</text><text x="120" y="14" fill="#1f77b4">API share</text><text x="200" y="14" fill="#d62728">5XX share</text>`,
    '</svg>',
  ].join('\n');
}
