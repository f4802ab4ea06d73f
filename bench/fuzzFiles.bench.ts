/**
 * File fuzzer, long run: ≥ 10,000 malformed pose and project files (seeded mutations of real
 * files) through the real load paths. Prints cases, crashes (must be 0) and refusals that do not
 * name the field (must be 0), with the first few of each to reproduce.
 *
 *   npm run bench:fuzz-files                       # 10,000 cases, seed 1
 *   npm run bench:fuzz-files -- --cases 50000 --seed 7
 */
import { runFileFuzz } from '#test/fuzz/fileFuzz';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const cases = Number(arg('cases', '10000'));
const seed = Number(arg('seed', '1'));

const started = performance.now();
const report = await runFileFuzz({
  cases,
  seed,
  cliEvery: 50,
  onProgress: (n, r) => {
    if (n % 1000 === 0)
      process.stderr.write(
        `  ${n} cases, ${r.crashes.length} crashes, ${r.unnamed.length} unnamed (${((performance.now() - started) / 1000).toFixed(0)} s)\n`,
      );
  },
});
const seconds = (performance.now() - started) / 1000;
console.log(`file fuzz (seed ${seed}): ${report.cases} cases in ${seconds.toFixed(1)} s`);
console.log(
  `  accepted ${report.accepted}, refused with a named error ${report.refused - report.unnamed.length}`,
);
console.log(`  crashes: ${report.crashes.length}`);
for (const f of report.crashes.slice(0, 10))
  console.log(`    case ${f.case} (${f.seed}): ${f.what.slice(0, 300)}`);
console.log(`  errors that do not name the field: ${report.unnamed.length}`);
for (const f of report.unnamed.slice(0, 10))
  console.log(`    case ${f.case} (${f.seed}): ${f.what.slice(0, 300)}`);
process.exitCode = report.crashes.length + report.unnamed.length > 0 ? 1 : 0;
