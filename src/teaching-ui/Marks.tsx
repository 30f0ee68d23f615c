/**
 * A scene's highlights on the lab's panels. The panels are not the lesson's
 * to change, so the marks are a style sheet React renders beside them: the
 * named panel is outlined, and seed lines are marked by their `data-line`.
 * The scene's thread and vnode are also selected in the lab, so the Source
 * panel follows that thread and the page panels show that file.
 */
import { useEffect } from 'react';
import type { SceneView } from '../protocol/teach';
import { useLab, useLabStore } from '../store/context';
import type { LabState } from '../store/store';

/** The lab panel (its section's class) each highlight panel name points at. */
const PANEL_CLASS: Readonly<Record<string, string>> = {
  source: 'panel-source',
  threads: 'panel-threads',
  io: 'panel-io',
  'page-tree': 'panel-tree',
  'page-bits': 'panel-bits',
  'page-queues': 'panel-queues',
  object: 'panel-flags',
  locks: 'panel-threads', // a thread card lists the locks it holds and waits for
  timeline: 'panel-timeline',
};

/** Longest run of seed lines marked (a scene marks a few; this bounds the sheet). */
const MAX_LINES = 80;

export function marksCss(scene: SceneView): string {
  const rules: string[] = [];
  const panels = new Set(scene.highlights.map((h) => PANEL_CLASS[h.panel]).filter(Boolean));
  for (const p of panels) rules.push(`.app .${p} { outline: 3px dashed var(--teach-mark); outline-offset: -3px; }`);
  const lines = new Set<number>([scene.line]);
  for (const h of scene.highlights)
    if (h.target.kind === 'lines')
      for (let n = h.target.from; n <= Math.min(h.target.to, h.target.from + MAX_LINES); n++) lines.add(n);
  const selectors = [...lines].map((n) => `.panel-source .src-line[data-line="${n}"]`);
  rules.push(
    `${selectors.join(',\n')} { background: var(--teach-line); box-shadow: inset 4px 0 0 var(--teach-mark); }`,
  );
  return rules.join('\n');
}

const selectEpoch = (s: LabState) => s.epoch;

/** Renders the scene's marks, and points the lab at its thread and vnode. */
export function Marks({ scene }: { scene: SceneView }) {
  const store = useLabStore();
  const epoch = useLab(selectEpoch);
  useEffect(() => {
    const state = store.getState();
    state.selectThread(scene.thread);
    const target = scene.highlights.find((h) => h.target.kind === 'page' || h.target.kind === 'object')?.target;
    if (
      target &&
      (target.kind === 'page' || target.kind === 'object') &&
      state.snapshot?.vnodes.some((v) => v.name === target.vnode)
    )
      state.selectVnode(target.vnode);
    // A reload (epoch) clears the selection: point again.
  }, [scene, store, epoch]);
  return <style>{marksCss(scene)}</style>;
}
