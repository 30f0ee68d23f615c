import { expect, test } from './fixtures';

/**
 * The built app runs under a strict Content-Security-Policy (vite.config.ts): the policy is there, and
 * nothing the lab does while it is used violates it (the worker, the seed fetch, the lazy share codec).
 */
test.describe('content security policy', () => {
  test('is set by a meta tag and a header, and walking the lab breaks none of it', async ({ page, lab }) => {
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { cspViolations: string[] }).cspViolations = seen;
      document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const response = await page.reload();
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveAttribute(
      'content',
      /script-src 'self'.*object-src 'none'/,
    );
    await expect(lab.timeline.status).toHaveText('Step 0 of 0');
    await lab.threads.start('uvn_attach', { thread: 't1', vnode: 'vn1', prot: 'rw' });
    await lab.threads.run('t1');
    await expect(lab.threads.status('t1')).toHaveText('done');
    await lab.threads.start('fault', { thread: 't2', vnode: 'vn1', offset: '0x1000', access: 'read' });
    await lab.threads.run('t2');
    await expect(lab.io.request(1)).toHaveText(['1', 't2', 'vn1', 'read', '0x1000', '4096', '0x1000']);
    await page.getByRole('button', { name: 'Share link' }).click();
    await expect(page).toHaveURL(/#scenario=/);
    await lab.bar.openLibrary('two-threads-fault-same-page');
    await expect(lab.timeline.status).toHaveText(/Step \d+ of \d+/);
    expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
  });
});
