/**
 * A reader that stops early (`npm run --silent scenario -- F | head -1`) closes the pipe under the runner:
 * it ends at once with the shell's SIGPIPE status and no stack trace, as a C tool would.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { scratchDir } from './fixtures/scratch';
import { CLOSED_PIPE_STATUS } from '../tools/closed-pipe';

const dir = scratchDir('pipe-');

it('the runner ends quietly when its reader stops reading', async () => {
  // 6,000 steps of digests: far more than a pipe holds, so the runner is still writing when the pipe closes.
  const steps: unknown[] = [{ spawn: 't', call: 'uvn_attach', args: { vnode: 'vn1', prot: 'r' } }, { run: 't' }];
  for (let i = 0; i < 3000; i++)
    steps.push({ spawn: `x${i}`, call: 'uvn_reference', args: { vnode: 'vn1' } }, { run: `x${i}` });
  const file = join(dir, 'long.json');
  writeFileSync(
    file,
    JSON.stringify({ format: 'pager-scenario/1', pager: 'openbsd', vnodes: [{ name: 'vn1', size: 8192 }], steps }),
  );
  const child = spawn(join('node_modules', '.bin', 'tsx'), ['tools/scenario.ts', file]);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.once('data', () => child.stdout.destroy());
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect(stderr).toBe('');
  expect(code).toBe(CLOSED_PIPE_STATUS);
}, 30_000);
