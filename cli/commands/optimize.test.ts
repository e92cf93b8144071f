// `mbo optimize --scenario` end to end through the real CLI process: the answer format of the shared scenario
// contract, the human table, and a clear refusal of bad input. Offline: no database, no Temporal.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateScenario } from '../../bench/optimizer/generate.js';
import { PROJECT_ROOT } from '../../lib/config.js';

const dir = mkdtempSync(path.join(tmpdir(), 'mbo-optimize-'));
const mbo = (...args: string[]) =>
  spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'cli', 'bin.mjs'), ...args], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' } });

// Each case starts a real CLI process (tsx + the optimizer): give it time on a loaded machine.
describe('mbo optimize --scenario', { timeout: 60_000 }, () => {
  // A 20% budget cut, so the plan must also beat today's budgets scaled down.
  const { scenario } = generateScenario({ seed: 4242, campaigns: 12, objective: 'profit', budgetChange: 0.8 });
  const file = path.join(dir, 'cut.scenario.json');
  writeFileSync(file, JSON.stringify(scenario));

  it('prints the answer format: every campaign once, within its bounds and the total', () => {
    const r = mbo('optimize', '--scenario', file, '--json');
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      allocations: { campaignId: string; dailyBudget: number; expected: { value: number; low: number; high: number } }[];
      expectedTotal: { value: number; atNeutral: number };
      warnings: string[];
    };
    expect(out.allocations.map((a) => a.campaignId).sort()).toEqual(scenario.campaigns.map((c) => c.id).sort());
    const total = out.allocations.reduce((a, x) => a + x.dailyBudget, 0);
    expect(total).toBeLessThanOrEqual(scenario.constraints.totalDailyBudget + 1e-6);
    for (const a of out.allocations) {
      const c = scenario.campaigns.find((x) => x.id === a.campaignId)!;
      if (c.locked) expect(a.dailyBudget).toBeCloseTo(c.currentDailyBudget, 2);
      else {
        expect(a.dailyBudget).toBeGreaterThanOrEqual(Math.max(c.minDailyBudget, c.currentDailyBudget * 0.5) - 0.01);
        expect(a.dailyBudget).toBeLessThanOrEqual(Math.min(c.maxDailyBudget, c.currentDailyBudget * 1.5) + 0.01);
      }
      expect(a.expected.low).toBeLessThanOrEqual(a.expected.value);
      expect(a.expected.high).toBeGreaterThanOrEqual(a.expected.value);
    }
    expect(out.expectedTotal.value).toBeGreaterThanOrEqual(out.expectedTotal.atNeutral);
  });

  it('prints a table with reasons and the comparison with scaled budgets', () => {
    const r = mbo('optimize', '--scenario', file);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('Expected profit/day');
    expect(r.stdout).toContain("With today's budgets scaled to the new total");
    expect(r.stdout).toMatch(/under-funded|saturated|unprofitable|held/);
  });

  it('refuses an invalid scenario with the fields at fault and exit code 2', () => {
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ name: 'x', objective: 'reach', campaigns: [] }));
    const r = mbo('optimize', '--scenario', bad, '--json');
    expect(r.status).toBe(2);
    expect(r.stdout + r.stderr).toMatch(/objective/);
    const missing = mbo('optimize', '--scenario', path.join(dir, 'nope.json'));
    expect(missing.status).toBe(2);
    expect(missing.stdout + missing.stderr).toContain('cannot read scenario');
  });
});

describe('mbo optimize --scenario: what a new user hit', { timeout: 60_000 }, () => {
  const { scenario } = generateScenario({ seed: 7, campaigns: 4, objective: 'profit', budgetChange: 1 });
  const file = path.join(dir, 'profit.scenario.json');
  writeFileSync(file, JSON.stringify(scenario));

  it('refuses --risk -1 (exit 2) and shows the margin of a profit run', () => {
    const neg = mbo('optimize', '--scenario', file, '--risk', '-1');
    expect(neg.status).toBe(2);
    expect(neg.stderr).toMatch(/--risk: risk aversion is 0 \(none\) or more/);
    const ok = mbo('optimize', '--scenario', file);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/objective profit \(margin [0-9.]+(–[0-9.]+ by campaign)?\)/);
  });
});
