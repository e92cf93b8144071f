// Charts (Recharts): metrics per platform over time with alert days marked, and the table's sparklines.
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { PLATFORM_COLOR, PLATFORM_LABEL } from '../lib/format';

export function PlatformLines({
  data,
  platforms,
  marks = [],
  label,
}: {
  data: Record<string, number | string | null>[];
  platforms: string[];
  marks?: string[];
  label: string;
}) {
  return (
    <figure aria-label={label} className="h-64 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
          <CartesianGrid stroke="#e2e8f0" />
          <XAxis dataKey="date" tick={{ fontSize: 11, fill: '#334155' }} />
          <YAxis tick={{ fontSize: 11, fill: '#334155' }} width={56} />
          <Tooltip />
          <Legend />
          {marks.map((d) => (
            <ReferenceLine key={d} x={d} stroke="#b91c1c" strokeDasharray="4 2" label={{ value: 'alert', fill: '#b91c1c', fontSize: 10 }} />
          ))}
          {platforms.map((p) => (
            <Line
              key={p}
              type="monotone"
              dataKey={p}
              name={PLATFORM_LABEL[p] ?? p}
              stroke={PLATFORM_COLOR[p] ?? '#334155'}
              dot={false}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

export function MetricLines({ data, series }: { data: Record<string, number | string>[]; series: { key: string; name: string; color: string }[] }) {
  return (
    <figure aria-label="Metrics over time" className="h-64 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
          <CartesianGrid stroke="#e2e8f0" />
          <XAxis dataKey="date" tick={{ fontSize: 11, fill: '#334155' }} />
          <YAxis tick={{ fontSize: 11, fill: '#334155' }} width={56} />
          <Tooltip />
          <Legend />
          {series.map((s) => (
            <Line key={s.key} type="monotone" dataKey={s.key} name={s.name} stroke={s.color} dot={false} isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** A tiny inline SVG line (no axes): cheap enough for every row of a table. */
export function Sparkline({ values, label }: { values: number[]; label: string }) {
  if (values.length < 2) return <span className="text-xs text-slate-600">—</span>;
  const w = 96;
  const h = 24;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  const pts = values.map((v, i) => `${((i / (values.length - 1)) * w).toFixed(1)},${(h - ((v - min) / span) * (h - 2) - 1).toFixed(1)}`).join(' ');
  return (
    <svg width={w} height={h} role="img" aria-label={label}>
      <polyline points={pts} fill="none" stroke="#1d4ed8" strokeWidth="1.5" />
    </svg>
  );
}
