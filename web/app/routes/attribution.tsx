// Attribution: every model side by side — the credit each channel (and campaign) gets for conversions and their
// value under last touch, first touch, linear, time decay, position-based, Markov and Shapley
// (services/attribution.attributionReport, from the stored journeys).
import { useLoaderData, type LoaderFunctionArgs } from 'react-router';
import { Card, CardTitle } from '../components/ui/card';
import { Table, Td, Th } from '../components/ui/table';
import { money } from '../lib/format';
import { attributionReport, isAppError } from '../lib/services.server';
import { requireUser } from '../lib/session.server';

export const meta = () => [{ title: 'Attribution · MBO' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { ctx } = await requireUser(request, context);
  try {
    return { report: await attributionReport(ctx, {}), error: null };
  } catch (e) {
    if (isAppError(e)) return { report: null, error: e.message };
    throw e;
  }
}

type Report = NonNullable<Awaited<ReturnType<typeof loader>>['report']>;

function CreditTable({ rows, models, label }: { rows: Report['channels']; models: Report['models']; label: string }) {
  return (
    <Table>
      <thead>
        <tr>
          <Th>{label}</Th>
          {models.map((m) => (
            <Th key={m.id}>{m.name}</Th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={`${r.channel}/${r.campaign ?? ''}`}>
            <Td>{r.campaign ? `${r.campaign} (${r.channel})` : r.channel}</Td>
            {models.map((m) => (
              <Td key={m.id} className="whitespace-nowrap">
                {r.credit[m.id] ? `${r.credit[m.id]!.conversions.toFixed(1)} · ${money(r.credit[m.id]!.value)}` : '—'}
              </Td>
            ))}
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

export default function Attribution() {
  const { report, error } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Attribution</h1>
      {error ? <p className="rounded bg-slate-100 p-3 text-sm">{error}</p> : null}
      {report ? (
        <>
          <p className="text-sm text-slate-700">
            {report.period.from} to {report.period.to}: {report.journeys.users} users, {report.journeys.paths} paths, {report.journeys.conversions} conversions
            worth {money(report.journeys.value)}. Each cell: conversions credited · their value.
          </p>
          <Card>
            <CardTitle>Channels, every model side by side</CardTitle>
            <CreditTable rows={report.channels} models={report.models} label="Channel" />
          </Card>
          <Card>
            <CardTitle>Campaigns</CardTitle>
            <CreditTable rows={report.campaigns} models={report.models} label="Campaign" />
          </Card>
          {report.notes.length ? (
            <ul className="list-disc pl-5 text-sm text-slate-700">
              {report.notes.map((n, i) => (
                <li key={i}>{n}</li>
              ))}
            </ul>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
