// Reports: the weekly performance report (services/reports.generateReport) shown as its self-contained HTML, with
// the Markdown and CSV versions to download (?download=markdown|csv answers the file itself).
import { useLoaderData, type LoaderFunctionArgs } from 'react-router';
import { Card } from '../components/ui/card';
import { generateReport, isAppError } from '../lib/services.server';
import { requireUser } from '../lib/session.server';

export const meta = () => [{ title: 'Reports · MBO' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { ctx } = await requireUser(request, context);
  const q = new URL(request.url).searchParams;
  const days = Number(q.get('days') ?? 7);
  const download = q.get('download');
  if (download === 'markdown' || download === 'csv') {
    const r = await generateReport(ctx, { days, format: download });
    throw new Response(r.body, {
      headers: { 'content-type': r.contentType, 'content-disposition': `attachment; filename="mbo-report.${download === 'csv' ? 'csv' : 'md'}"` },
    });
  }
  try {
    const r = await generateReport(ctx, { days, format: 'html' });
    return { html: r.body, days, error: null };
  } catch (e) {
    if (isAppError(e)) return { html: null, days, error: e.message };
    throw e;
  }
}

export default function Reports() {
  const { html, days, error } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Reports</h1>
      <p className="flex flex-wrap gap-4 text-sm">
        <span>Performance over the last {days} days.</span>
        <a className="text-blue-800 underline" href={`/reports?days=${days}&download=markdown`} download>
          Download Markdown
        </a>
        <a className="text-blue-800 underline" href={`/reports?days=${days}&download=csv`} download>
          Download CSV
        </a>
      </p>
      {error ? <p className="rounded bg-slate-100 p-3 text-sm">{error}</p> : null}
      {html ? (
        <Card className="p-0">
          <iframe title="Performance report" sandbox="" srcDoc={html} className="h-[80vh] w-full rounded-lg" />
        </Card>
      ) : null}
    </div>
  );
}
