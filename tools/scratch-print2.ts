// @ts-nocheck
import { writeFileSync } from 'node:fs';
import { withBrowser } from './chromium';
const PORT = Number(process.env.PAGER_LAB_PORT ?? 4175);
await withBrowser(PORT, async (browser) => {
  for (const [w, h] of [[1600, 1000], [1280, 720], [1024, 768]]) {
    const ctx = await browser.newContext({ viewport: { width: w, height: h } });
    const page = await ctx.newPage();
    await page.goto(`http://localhost:${PORT}/`);
    await page.getByRole('combobox', { name: 'Open from library' }).selectOption('two-threads-fault-same-page');
    await page.getByText(/^Step 0 of 12/).first().waitFor({ timeout: 30000 });
    await page.waitForTimeout(500);
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    writeFileSync(`/tmp/print/p-${w}.pdf`, pdf);
    console.log(w, (pdf.toString('latin1').match(/\/Type\s*\/Page\b/g) ?? []).length, 'pages');
    await ctx.close();
  }
});
