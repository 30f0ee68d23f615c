/** The timeline for slides (pure). */
import type { TimelineEntry } from '../../protocol/messages';
import { trailText } from '../Source/follow';

/** The timeline as Markdown: the title, then one line per step with its label (and the lines a run ran). */
export function timelineMarkdown(title: string, timeline: readonly TimelineEntry[]): string {
  const lines = [`# ${title || 'Pager Lab scenario'}`, '', '0. setup'];
  for (const e of timeline) {
    const ran = e.trail.lines.length ? ` (seed lines ${trailText(e.trail.lines, e.trail.omitted, 1000)})` : '';
    lines.push(`${e.index}. ${e.label.replace(/([\\`*_[\]<>|])/g, '\\$1')}${ran}`);
  }
  return `${lines.join('\n')}\n`;
}
