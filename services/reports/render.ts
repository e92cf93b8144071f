// The report's three renderings: Markdown (chat, e-mail, terminals), self-contained HTML with inline SVG charts
// (no script, no external resource), and CSV (one table with a `section` column, for spreadsheets).
import type { CampaignRow, PlatformRow, Report } from './build-report.js';
import { reportCharts } from './charts.js';

const signed = (v: number | null) => (v === null ? '—' : `${v > 0 ? '+' : ''}${v.toFixed(1)}%`);
const num = (v: number | null) => (v === null ? '—' : v.toFixed(2));
const uplift = (v: number | null) => (v === null ? 'not recorded' : `${(v * 100).toFixed(1)}%`);

function mdTable(head: string[], rows: (string | number)[][]): string {
  const cell = (v: string | number) => String(v).replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

const platformCells = (p: Omit<PlatformRow, 'platform'> & { platform?: string }) => [
  p.platform ?? 'Total',
  p.spend,
  p.revenue,
  num(p.roas),
  p.cpa ?? '—',
  signed(p.change.spend),
  signed(p.change.revenue),
  signed(p.change.roas),
];
const PLATFORM_HEAD = ['Platform', 'Spend', 'Revenue', 'ROAS', 'CPA', 'Spend Δ', 'Revenue Δ', 'ROAS Δ'];
const campaignCells = (c: CampaignRow) => [c.name, `${c.platform} ${c.externalId}`, c.spend, c.revenue, num(c.roas), c.cpa ?? '—'];
const CAMPAIGN_HEAD = ['Campaign', 'Platform / id', 'Spend', 'Revenue', 'ROAS', 'CPA'];

export function renderMarkdown(r: Report): string {
  const o = r.optimization;
  return [
    `# MBO performance report — ${r.workspace}`,
    `Period ${r.period.from} to ${r.period.to} (${r.period.days} days), compared with ${r.previous.from} to ${r.previous.to}. Amounts in ${r.currency}.`,
    '',
    '## Per platform',
    mdTable(PLATFORM_HEAD, [...r.platforms.map(platformCells), platformCells(r.totals)]),
    '',
    '## Top campaigns by ROAS',
    r.top.length ? mdTable(CAMPAIGN_HEAD, r.top.map(campaignCells)) : '_No campaign spent in the period._',
    '',
    '## Bottom campaigns by ROAS',
    r.bottom.length ? mdTable(CAMPAIGN_HEAD, r.bottom.map(campaignCells)) : '_No campaign spent in the period._',
    '',
    '## Anomalies',
    r.anomalies.length ? r.anomalies.map((a) => `- **${a.severity}** ${a.date}: ${a.message}`).join('\n') : '_None found in the period._',
    '',
    '## Pending approvals',
    r.pending.length
      ? mdTable(
          ['Request', 'Account', 'Items', 'Requested by', 'Reason'],
          r.pending.map((p) => [p.id.slice(0, 8), `${p.account} (${p.platform})`, p.items, p.requestedBy, p.reason]),
        )
      : '_None._',
    '',
    '## Last optimization',
    o
      ? `${o.kind} ${o.id.slice(0, 8)} on ${o.createdAt.slice(0, 10)} (${o.objective}${o.dryRun ? ', dry run' : ''}): predicted uplift ${uplift(o.predictedUplift)}, realised ${uplift(o.realisedUplift)} — ${o.note}.`
      : '_No optimization has run in this workspace._',
    ...(r.notes.length ? ['', '## Notes', ...r.notes.map((n) => `- ${n}`)] : []),
    '',
  ].join('\n');
}

const esc = (s: string | number) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
function htmlTable(head: string[], rows: (string | number)[][]): string {
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

export async function renderHtml(r: Report): Promise<string> {
  const charts = await reportCharts(r);
  const o = r.optimization;
  const section = (title: string, body: string) => `<section><h2>${esc(title)}</h2>${body}</section>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>MBO performance report — ${esc(r.workspace)} — ${esc(r.period.from)} to ${esc(r.period.to)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:960px}table{border-collapse:collapse;margin:.5rem 0}
th,td{border:1px solid #ddd;padding:.3rem .6rem;text-align:right}th:first-child,td:first-child{text-align:left}th{background:#f5f5f5}
figure{margin:1rem 0}figcaption{font-weight:600;margin-bottom:.3rem}.muted{color:#666}</style></head><body>
<h1>MBO performance report — ${esc(r.workspace)}</h1>
<p class="muted">Period ${esc(r.period.from)} to ${esc(r.period.to)} (${r.period.days} days), compared with ${esc(r.previous.from)} to ${esc(r.previous.to)}. Amounts in ${esc(r.currency)}. Generated ${esc(r.generatedAt)}.</p>
${section('Per platform', htmlTable(PLATFORM_HEAD, [...r.platforms.map(platformCells), platformCells(r.totals)]))}
${charts.map((c) => `<figure class="chart"><figcaption>${esc(c.title)}</figcaption>${c.svg}</figure>`).join('\n')}
${section('Top campaigns by ROAS', r.top.length ? htmlTable(CAMPAIGN_HEAD, r.top.map(campaignCells)) : '<p>No campaign spent in the period.</p>')}
${section('Bottom campaigns by ROAS', r.bottom.length ? htmlTable(CAMPAIGN_HEAD, r.bottom.map(campaignCells)) : '<p>No campaign spent in the period.</p>')}
${section('Anomalies', r.anomalies.length ? `<ul>${r.anomalies.map((a) => `<li><b>${esc(a.severity)}</b> ${esc(a.date)}: ${esc(a.message)}</li>`).join('')}</ul>` : '<p>None found in the period.</p>')}
${section(
  'Pending approvals',
  r.pending.length
    ? htmlTable(
        ['Request', 'Account', 'Items', 'Requested by', 'Reason'],
        r.pending.map((p) => [p.id.slice(0, 8), `${p.account} (${p.platform})`, p.items, p.requestedBy, p.reason]),
      )
    : '<p>None.</p>',
)}
${section(
  'Last optimization',
  o
    ? `<p>${esc(o.kind)} ${esc(o.id.slice(0, 8))} on ${esc(o.createdAt.slice(0, 10))} (${esc(o.objective)}${o.dryRun ? ', dry run' : ''}): predicted uplift ${esc(uplift(o.predictedUplift))}, realised ${esc(uplift(o.realisedUplift))} — ${esc(o.note)}.</p>`
    : '<p>No optimization has run in this workspace.</p>',
)}
${r.notes.length ? section('Notes', `<ul>${r.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`) : ''}
</body></html>
`;
}

const csvCell = (v: string | number | null) => {
  const s = v === null ? '' : String(v);
  // Quote when needed; a leading = + - @ is prefixed so a spreadsheet never runs it as a formula.
  const safe = /^[=+\-@\t\r]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export function renderCsv(r: Report): string {
  const head = [
    'section',
    'name',
    'platform',
    'id',
    'spend',
    'revenue',
    'conversions',
    'roas',
    'cpa',
    'spend_change_pct',
    'revenue_change_pct',
    'roas_change_pct',
    'note',
  ];
  const rows: (string | number | null)[][] = [];
  for (const p of [...r.platforms, { ...r.totals, platform: 'all' }])
    rows.push(['platform', p.platform, p.platform, '', p.spend, p.revenue, p.conversions, p.roas, p.cpa, p.change.spend, p.change.revenue, p.change.roas, '']);
  for (const [section, list] of [
    ['top_campaign', r.top],
    ['bottom_campaign', r.bottom],
  ] as const)
    for (const c of list) rows.push([section, c.name, c.platform, c.externalId, c.spend, c.revenue, c.conversions, c.roas, c.cpa, null, null, null, '']);
  for (const a of r.anomalies) rows.push(['anomaly', a.campaign, a.platform, a.date, null, null, null, null, null, null, null, null, a.message]);
  for (const p of r.pending) rows.push(['pending_approval', p.account, p.platform, p.id, null, null, null, null, null, null, null, null, p.reason]);
  if (r.optimization)
    rows.push([
      'optimization',
      r.optimization.kind,
      '',
      r.optimization.id,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      `predicted ${uplift(r.optimization.predictedUplift)}, realised ${uplift(r.optimization.realisedUplift)}`,
    ]);
  return [head, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
