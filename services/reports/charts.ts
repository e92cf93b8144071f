// Report charts as inline SVG, made server-side by Vega-Lite → Vega (no browser, no network at view time): daily
// spend per platform, and ROAS per platform this period against the one before.
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Report } from './build-report.js';

async function toSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

const base = { width: 560, height: 220, config: { font: 'sans-serif', view: { stroke: null } } } as const;

export async function reportCharts(r: Report): Promise<{ title: string; svg: string }[]> {
  const spend = await toSvg({
    ...base,
    data: { values: r.series },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'date', type: 'ordinal', title: null },
      y: { field: 'spend', type: 'quantitative', title: `Spend (${r.currency})`, stack: 'zero' },
      color: { field: 'platform', type: 'nominal', title: 'Platform' },
    },
  });
  const roasRows = r.platforms.flatMap((p) => [
    { platform: p.platform, period: 'this period', roas: p.roas ?? 0 },
    { platform: p.platform, period: 'previous', roas: p.previous.roas ?? 0 },
  ]);
  const roas = await toSvg({
    ...base,
    data: { values: roasRows },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'platform', type: 'nominal', title: null },
      xOffset: { field: 'period', type: 'nominal' },
      y: { field: 'roas', type: 'quantitative', title: 'ROAS' },
      color: { field: 'period', type: 'nominal', title: 'Period', scale: { range: ['#1f77b4', '#aec7e8'] } },
    },
  });
  return [
    { title: 'Daily spend per platform', svg: spend },
    { title: 'ROAS per platform, this period and the previous one', svg: roas },
  ];
}
