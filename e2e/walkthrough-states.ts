import { expect } from './fixtures';
import type { Lab } from './pages/Lab';

/** Step 10 of 12 of the lecture walk-through: t3's msync has returned, the page is clean; t4 does not exist yet. */
export async function expectStep10(lab: Lab): Promise<void> {
  await expect(lab.timeline.status).toHaveText('Step 10 of 12');
  await expect(lab.threads.cards).toHaveCount(3);
  await expect(lab.threads.card('t4')).toHaveCount(0);
  await expect(lab.threads.returned('t3')).toHaveText('→ returned true');
  await lab.bits.expectPage('0x1000', {
    bits: ['PG_CLEAN', 'PG_CLEANCHK'],
    queue: 'active',
    mapped: true,
    modified: false,
    owner: '',
  });
}
