/** The timeline for slides (pure). */
import type { TimelineEntry } from '../../protocol/messages';
import { firstSentence } from '../../protocol/format';
import { trailText } from '../Source/follow';

const escaped = (text: string) => text.replace(/([\\`*_[\]<>|])/g, '\\$1');

/**
 * The timeline as Markdown: the title's first sentence as the heading (a slide's), the whole explanation
 * under it when it says more, then one line per step with its label (and the lines a run ran).
 */
export function timelineMarkdown(title: string, timeline: readonly TimelineEntry[]): string {
  const heading = title ? firstSentence(title) : 'Pager Lab scenario';
  const lines = [`# ${escaped(heading)}`, '', ...(heading !== title && title ? [escaped(title), ''] : []), '0. setup'];
  for (const e of timeline) {
    const ran = e.trail.lines.length ? ` (seed lines ${trailText(e.trail.lines, e.trail.omitted, 1000)})` : '';
    lines.push(`${e.index}. ${escaped(e.label)}${ran}`);
  }
  return `${lines.join('\n')}\n`;
}
