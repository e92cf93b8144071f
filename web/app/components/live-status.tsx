// Follows a change request's status while it is decided and applied, from the API's server-sent events
// (/api/v1/change-requests/{id}/events, the session cookie authenticates it), until it settles.
import { useEffect, useState } from 'react';
import { statusTone } from '../lib/format';
import { Badge } from './ui/badge';

const SETTLED = ['BLOCKED', 'REJECTED', 'EXPIRED', 'APPLIED', 'NEEDS_REAPPROVAL', 'PARTIALLY_APPLIED', 'ROLLED_BACK', 'FAILED'];

export function LiveStatus({ id, initial }: { id: string; initial: string }) {
  const [status, setStatus] = useState(initial);
  const [outcome, setOutcome] = useState<string | null>(null);
  useEffect(() => {
    if (SETTLED.includes(initial)) return;
    const es = new EventSource(`/api/v1/change-requests/${id}/events?timeoutSeconds=300`);
    es.addEventListener('status', (e) => {
      const d = JSON.parse((e as MessageEvent).data) as { status: string; outcome: string | null };
      setStatus(d.status);
      setOutcome(d.outcome);
      if (SETTLED.includes(d.status)) es.close();
    });
    es.onerror = () => es.close();
    return () => es.close();
  }, [id, initial]);
  return (
    <span aria-live="polite" className="inline-flex items-center gap-2">
      <Badge tone={statusTone(status)} data-testid={`status-${id}`}>
        {status.replace(/_/g, ' ')}
      </Badge>
      {outcome ? <span className="text-xs text-slate-700">{outcome}</span> : null}
    </span>
  );
}
