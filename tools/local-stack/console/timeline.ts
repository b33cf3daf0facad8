import type { ConsoleTimeline, TimelineLane } from '../src/console/api-types';
import { el } from './dom';

/** The rows of the picture, top to bottom, in the order a message crosses the layers. */
const LANES: ReadonlyArray<[TimelineLane, string]> = [
  ['slack', 'Slack'],
  ['verification', 'Verification'],
  ['route', 'Route'],
  ['execute-api', 'Execution API'],
  ['direct', 'Direct invoke'],
  ['execution', 'Execution'],
  ['model', 'Model'],
  ['slack-api', 'Slack Web API'],
];

/**
 * Draws a message's timeline: one row per layer, time on the horizontal axis, each step a bar (or a tick for an
 * instant) placed by its start and end, with its label and detail as text beside it.
 *
 * @param container - where to draw
 * @param timeline - the steps, in ms from the first
 */
export function drawTimeline(container: HTMLElement, timeline: ConsoleTimeline): void {
  const total = Math.max(1, ...timeline.steps.map((s) => s.endMs));
  const rows = LANES.flatMap(([lane, name]) => {
    const steps = timeline.steps.filter((s) => s.lane === lane);
    if (steps.length === 0) return [];
    return [
      el(
        'div',
        { class: 'lane', role: 'listitem', 'data-lane': lane },
        el('span', { class: 'lane-name', text: name }),
        el(
          'ol',
          { class: 'steps' },
          ...steps.map((step) => {
            const bar = el('span', { class: `bar ${step.outcome}`, 'aria-hidden': 'true' });
            bar.style.left = `${(step.startMs / total) * 100}%`;
            bar.style.width = `${Math.max(((step.endMs - step.startMs) / total) * 100, 0.6)}%`;
            return el(
              'li',
              { class: `step ${step.outcome}` },
              el('span', { class: 'track' }, bar),
              el('span', { class: 'step-text', text: `${step.label}: ${step.detail}` }),
              el('span', { class: 'step-time', text: `+${step.startMs} ms` }),
            );
          }),
        ),
      ),
    ];
  });
  const axis = el('div', { class: 'axis', 'aria-hidden': 'true' }, el('span', { text: '0 ms' }), el('span', { text: `${total} ms` }));
  container.replaceChildren(...rows, axis);
}

/** One line saying which path the message took. */
export function pathSummary(timeline: ConsoleTimeline): string {
  const path = timeline.path === 'api' ? 'API Gateway' : timeline.path === 'direct' ? 'direct invoke' : 'not reached yet';
  return `Event ${timeline.eventId} — path: ${path}${timeline.fallback ? ' (after a fallback from the API)' : ''}`;
}
