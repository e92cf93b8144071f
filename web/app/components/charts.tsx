// Charts (Recharts): metrics per platform over time with alert and anomaly days marked, a campaign's fitted
// response curve with its uncertainty band, and the table's sparklines.
import { Area, CartesianGrid, ComposedChart, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Scatter, Tooltip, XAxis, YAxis } from 'recharts';
import { PLATFORM_COLOR, PLATFORM_LABEL } from '../lib/format';

export function PlatformLines({
  data,
  platforms,
  marks = [],
  anomalies = [],
  label,
}: {
  data: Record<string, number | string | null>[];
  platforms: string[];
  /** Days with an alert (red dashed line; an alert that is about a data day marks that day). */
  marks?: string[];
  /** Days with a detected anomaly (amber dotted line; an alert day wins when both). */
  anomalies?: string[];
  label: string;
}) {
  return (
    <figure aria-label={label} className="w-full">
      <div className="h-64 w-full">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
            <CartesianGrid stroke="#e2e8f0" />
            <XAxis dataKey="date" tick={{ fontSize: 11, fill: '#334155' }} />
            <YAxis tick={{ fontSize: 11, fill: '#334155' }} width={56} />
            <Tooltip />
            <Legend />
            {anomalies
              .filter((d) => !marks.includes(d))
              .map((d) => (
                <ReferenceLine key={`a-${d}`} x={d} stroke="#b45309" strokeDasharray="2 3" strokeWidth={2} />
              ))}
            {marks.map((d) => (
              <ReferenceLine key={d} x={d} stroke="#b91c1c" strokeDasharray="6 3" strokeWidth={2} />
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
      </div>
      {marks.length || anomalies.length ? (
        <figcaption className="mt-1 text-xs text-slate-700">
          {marks.length ? <span className="mr-3">red dashed: alert days ({marks.length})</span> : null}
          {anomalies.some((d) => !marks.includes(d)) ? (
            <span>amber dotted: anomaly days without an alert ({anomalies.filter((d) => !marks.includes(d)).length})</span>
          ) : null}
        </figcaption>
      ) : null}
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

export interface CurvePoint {
  budget: number;
  value: number;
  low: number;
  high: number;
}

/**
 * A fitted response curve: the predicted daily outcome against the daily budget, its interval as a shaded band,
 * the observed days as dots, and today's and the recommended budget as vertical lines.
 */
export function ResponseCurve({
  points,
  observed,
  today,
  recommended,
  name,
  level,
  label,
}: {
  points: CurvePoint[];
  observed: { budget: number; value: number }[];
  today: number;
  recommended: number | null;
  name: string;
  level: number;
  label: string;
}) {
  const data = points.map((p) => ({ budget: p.budget, value: p.value, band: [p.low, p.high] as [number, number] }));
  const xs = [...points.map((p) => p.budget), ...observed.map((o) => o.budget)];
  const [lo, hi] = [Math.min(...xs), Math.max(...xs)];
  // A mark's label goes to the right of its line, unless the line is near the right edge (it would be cut off).
  const nearRight = (x: number) => x > lo + 0.8 * (hi - lo);
  return (
    <figure aria-label={label} className="h-72 w-full" data-testid="response-curve">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={data} margin={{ top: 16, right: 16, bottom: 16, left: 0 }}>
          <CartesianGrid stroke="#e2e8f0" />
          <XAxis
            dataKey="budget"
            type="number"
            domain={[lo, hi]}
            tickFormatter={(v: number) => v.toFixed(0)}
            tick={{ fontSize: 11, fill: '#334155' }}
            label={{ value: 'daily budget', position: 'insideBottom', offset: -8, fontSize: 11, fill: '#334155' }}
          />
          <YAxis tick={{ fontSize: 11, fill: '#334155' }} width={56} />
          <Tooltip formatter={(v: unknown) => (Array.isArray(v) ? v.map((x) => Number(x).toFixed(2)).join(' – ') : Number(v).toFixed(2))} />
          <Legend verticalAlign="top" height={24} />
          <Area
            type="monotone"
            dataKey="band"
            name={`${Math.round(level * 100)}% interval`}
            stroke="none"
            fill="#93c5fd"
            fillOpacity={0.45}
            isAnimationActive={false}
            data-testid="curve-band"
          />
          <Line type="monotone" dataKey="value" name={`expected ${name}`} stroke="#1d4ed8" strokeWidth={2} dot={false} isAnimationActive={false} />
          <Scatter data={observed} dataKey="value" name="observed days" fill="#334155" isAnimationActive={false} />
          {recommended !== null && Math.abs(recommended - today) < 0.005 ? (
            <ReferenceLine
              x={today}
              stroke="#15803d"
              strokeWidth={2}
              label={{ value: 'today = recommended', fill: '#166534', fontSize: 11, position: 'insideTopLeft' }}
            />
          ) : (
            <>
              <ReferenceLine
                x={today}
                stroke="#0f172a"
                strokeDasharray="4 2"
                label={{ value: 'today', fill: '#0f172a', fontSize: 11, position: 'insideTopLeft' }}
              />
              {recommended !== null ? (
                <ReferenceLine
                  x={recommended}
                  stroke="#15803d"
                  strokeWidth={2}
                  label={{ value: 'recommended', fill: '#166534', fontSize: 11, position: nearRight(recommended) ? 'insideBottomRight' : 'insideBottomLeft' }}
                />
              ) : null}
            </>
          )}
        </ComposedChart>
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
