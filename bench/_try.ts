import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDrawing } from '#test/helpers/puppetReal/fixtures';
import { PuppetDriver } from '#test/helpers/puppetReal/puppetDriver';
import { describeCase, evaluateDrawing } from '#test/helpers/puppetReal/evaluate';
import { writeSheet } from '#test/helpers/puppetReal/contactSheet';
const dir = await mkdtemp(join(tmpdir(), 'rb-'));
const driver = await PuppetDriver.start();
try {
  for (const name of process.argv.slice(2)) {
    const d = await loadDrawing(name);
    const t0 = performance.now();
    const reports = await evaluateDrawing(driver, d, dir, undefined, true);
    for (const r of reports) console.log(describeCase(r).join('\n'));
    await writeSheet(join(dir, `${name}-cases.png`), reports.flatMap((r) => r.frames0)); console.log(dir);
    console.log('ms', performance.now() - t0, dir);
  }
} finally { await driver.close(); }
