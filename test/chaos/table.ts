// Global setup of the chaos suite: gives the cases a results file and, when the suite ends, prints every case's row
// as one table (fault, runs, lost, duplicated, outcome). A row with a loss or a duplicate fails the run here too,
// even if its case forgot to assert.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { PROJECT_ROOT } from '../../lib/config.js';
import type { ChaosRow } from './chaos.js';

const file = path.join(PROJECT_ROOT, '.mbo', `chaos-results-${process.pid}.jsonl`);

export function setup(project: TestProject) {
  rmSync(file, { force: true });
  project.provide('chaosResults', file);
}

export function teardown() {
  const rows: ChaosRow[] = existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as ChaosRow)
    : [];
  rmSync(file, { force: true });
  const lines = [
    '',
    '| fault | runs | lost | duplicated | outcome | time |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.fault} | ${r.runs} | ${r.lost} | ${r.duplicated} | ${r.outcome} | ${r.seconds.toFixed(0)} s |`),
    '',
  ];
  console.log(lines.join('\n'));
  if (rows.some((r) => r.lost > 0 || r.duplicated > 0)) {
    console.error('chaos: a case lost or duplicated work (see the table)');
    process.exitCode = 1;
  }
}
