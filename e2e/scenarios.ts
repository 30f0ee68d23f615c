/** Scenario texts and #scenario= links for the specs. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

// NOTE: lz-string is CommonJS; Node's ESM loader exposes only its default export, not the named ones.
const require = createRequire(import.meta.url);
const { compressToEncodedURIComponent } = require('lz-string') as typeof import('lz-string');

/** The app's default setup: the lecture walk-through's machine and vnode, without its steps. */
export const SETUP = {
  format: 'pager-scenario/1',
  pager: 'openbsd',
  machine: { physPages: 32 },
  vnodes: [{ name: 'vn1', size: 16384, type: 'VREG', mount: 'm1', usecount: 1 }],
} as const;

/** A scenario of the default setup with these steps, as file text. */
export function scenarioText(steps: readonly unknown[], extra: Record<string, unknown> = {}): string {
  return `${JSON.stringify({ ...SETUP, ...extra, steps }, null, 2)}\n`;
}

/** A library scenario's file text (scenarios/NAME.json). */
export function libraryText(name: string): string {
  return readFileSync(new URL(`../scenarios/${name}.json`, import.meta.url), 'utf8');
}

/** The share link of a scenario's text, exactly as the app writes it: /#scenario=… */
export function linkTo(text: string): string {
  return `/#scenario=${compressToEncodedURIComponent(text)}`;
}
