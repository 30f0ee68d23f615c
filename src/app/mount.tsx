/** React and the lab's components, mounted once the entry (src/main.tsx) has started the worker. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Root } from './Root';
import type { Lab } from '../client/sim-client';

export function mount(root: HTMLElement, lab: Lab, embed: boolean): void {
  createRoot(root).render(
    <StrictMode>
      <Root lab={lab} embed={embed} />
    </StrictMode>,
  );
}
