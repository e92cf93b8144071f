// The live terminal dashboard (Ink + React, no JSX): platforms with spend/ROAS sparklines, pending approvals,
// latest alerts and syncs; it polls the API on its own, fits the terminal (and follows resizes), and takes keys:
// ↑/↓ (or k/j) move among pending requests, Enter opens one (its items from → to), Esc/Backspace goes back,
// r refreshes now, q (or Ctrl-C) quits.
import { Box, Text, useApp, useInput, useStdout } from 'ink';
import { createElement as h, useCallback, useEffect, useState, type ReactNode } from 'react';
import { safeText } from '../../core/text.js';
import type { ApiClient } from '../api-client.js';
import { change } from '../change-requests.js';
import { DAYS, fetchSnapshot, sparkline, type RequestDetail, type Snapshot } from './data.js';

const t = (v: unknown) => safeText(v == null ? '—' : String(v));
const hhmm = (iso: string | null | undefined) => (iso ? `${iso.slice(5, 16).replace('T', ' ')}Z` : '—');
const pad = (s: string, n: number) => (s.length > n ? `${s.slice(0, Math.max(0, n - 1))}…` : s.padEnd(n));
const padL = (s: string, n: number) => (s.length > n ? s.slice(0, n) : s.padStart(n));

function Section(props: { title: string; children?: ReactNode; width: number }) {
  return h(
    Box,
    { flexDirection: 'column', borderStyle: 'round', borderColor: 'gray', width: props.width, paddingX: 1 },
    h(Text, { bold: true, color: 'cyan' }, props.title),
    props.children,
  );
}

function Platforms({ s, width }: { s: Snapshot; width: number }) {
  return h(
    Section,
    { title: `Spend and ROAS per platform — last ${DAYS} days${s.to ? ` to ${s.to}` : ''}`, width },
    h(
      Text,
      { dimColor: true },
      `${pad('Platform', 11)} ${padL('Spend', 14)} ${padL('ROAS', 5)}  ${pad('Spend/day', DAYS)}  ${pad('ROAS/day', DAYS)}  Last sync`,
    ),
    ...(s.platforms.length
      ? s.platforms.map((p) =>
          h(
            Text,
            { key: p.platform, wrap: 'truncate' },
            `${pad(p.platform, 11)} ${padL(p.spend === null ? 'mixed' : `${p.spend} ${p.currency ?? ''}`.trim(), 14)} ${padL(p.roas === null ? '—' : p.roas.toFixed(2), 5)}  `,
            h(Text, { color: 'green' }, sparkline(p.spendSeries)),
            '  ',
            h(Text, { color: 'yellow' }, sparkline(p.roasSeries)),
            `  ${p.lastSync ? `${p.lastSync.status.toLowerCase()} ${hhmm(p.lastSync.at)}` : 'never'}`,
          ),
        )
      : [h(Text, { key: 'none' }, 'No accounts yet.')]),
  );
}

function Pending({ s, selected, width, rows }: { s: Snapshot; selected: number; width: number; rows: number }) {
  const start = Math.max(0, Math.min(selected - rows + 1, s.pending.length - rows));
  const shown = s.pending.slice(start, start + rows);
  return h(
    Section,
    { title: `Pending approvals (${s.pending.length}) — ↑↓ move, Enter open`, width },
    ...(shown.length
      ? shown.map((r, i) => {
          const on = start + i === selected;
          const first = r.items[0];
          const what = first
            ? `${first.campaign.platform} ${first.campaign.externalId} ${change(first)}${r.items.length > 1 ? ` +${r.items.length - 1}` : ''}`
            : '';
          return h(
            Text,
            { key: r.id, wrap: 'truncate', inverse: on },
            `${on ? '›' : ' '} ${r.id.slice(0, 8)}  ${pad(t(r.requestedBy), 14)} ${pad(t(what), 44)} ${t(r.reason)}`,
          );
        })
      : [h(Text, { key: 'none', dimColor: true }, 'Nothing is waiting for approval.')]),
  );
}

function Alerts({ s, width, rows }: { s: Snapshot; width: number; rows: number }) {
  const color = (sev: string) => (sev === 'critical' ? 'red' : sev === 'warning' ? 'yellow' : undefined);
  return h(
    Section,
    { title: 'Latest alerts', width },
    ...(s.alerts.length
      ? s.alerts
          .slice(0, rows)
          .map((a) =>
            h(
              Text,
              { key: a.id, wrap: 'truncate' },
              `${hhmm(a.createdAt)} `,
              h(Text, { color: color(a.severity) }, pad(a.severity, 8)),
              ` ${t(a.message)}${a.acknowledgedBy ? ' (ack)' : ''}`,
            ),
          )
      : [h(Text, { key: 'none', dimColor: true }, 'No alerts.')]),
  );
}

function Syncs({ s, width, rows }: { s: Snapshot; width: number; rows: number }) {
  return h(
    Section,
    { title: 'Sync state', width },
    ...(s.syncs.length
      ? s.syncs
          .slice(0, rows)
          .map((r, i) =>
            h(
              Text,
              { key: String(i), wrap: 'truncate', color: r.status === 'FAILED' ? 'red' : undefined },
              `${hhmm(r.startedAt)} ${pad(r.account.platform, 11)} ${pad(r.status.toLowerCase(), 10)} ${r.rows ?? 0} rows${r.error ? ` ${t(r.error)}` : ''}`,
            ),
          )
      : [h(Text, { key: 'none', dimColor: true }, 'No syncs yet.')]),
  );
}

function Detail({ r, width }: { r: RequestDetail; width: number }) {
  return h(
    Section,
    { title: `Change request ${r.id} — ${r.status} (Esc back)`, width },
    h(Text, { wrap: 'truncate' }, `account ${r.account.platform} ${r.account.externalId} (${t(r.account.name)}), ${r.account.currency}`),
    h(Text, { wrap: 'truncate' }, `requested by ${t(r.requestedBy)} at ${hhmm(r.createdAt)}: ${t(r.reason)}`),
    r.live?.approvers ? h(Text, { wrap: 'truncate' }, `can approve: ${r.live.approvers.join(', ') || '—'}`) : null,
    h(Text, { dimColor: true }, `${pad('#', 3)} ${pad('Platform', 11)} ${pad('Campaign id', 26)} ${pad('Campaign', 24)} ${pad('Change', 22)} Status`),
    ...r.items.map((i) =>
      h(
        Text,
        { key: i.id, wrap: 'truncate' },
        `${pad(String(i.seq + 1), 3)} ${pad(i.campaign.platform, 11)} ${pad(t(i.campaign.externalId), 26)} ${pad(t(i.campaign.name), 24)} ${pad(change(i), 22)} ${i.status.toLowerCase()}`,
      ),
    ),
    h(Text, { dimColor: true }, `approve: mbo approvals approve ${r.id.slice(0, 8)}`),
  );
}

export function Dashboard({ api, intervalMs, once }: { api: ApiClient; intervalMs: number; once?: boolean }) {
  const { exit } = useApp();
  const { stdout } = useStdout();
  const [size, setSize] = useState({ columns: stdout.columns || 100, rows: stdout.rows || 30 });
  const [snap, setSnap] = useState<Snapshot | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState(0);
  const [open, setOpen] = useState<RequestDetail | null>(null);

  const refresh = useCallback(() => {
    fetchSnapshot(api)
      .then((s) => {
        setSnap(s);
        setError(null);
        setSelected((i) => Math.min(i, Math.max(0, s.pending.length - 1)));
      })
      .catch((e: Error) => setError(e.message));
  }, [api]);

  // --once: one frame with data, then leave (the frame stays on the terminal).
  useEffect(() => {
    if (once && (snap || error)) setTimeout(exit, 20);
  }, [once, snap, error, exit]);

  useEffect(() => {
    refresh();
    const timer = setInterval(refresh, intervalMs);
    const resized = () => setSize({ columns: stdout.columns, rows: stdout.rows });
    stdout.on('resize', resized);
    return () => {
      clearInterval(timer);
      stdout.off('resize', resized);
    };
  }, [refresh, intervalMs, stdout]);

  useInput(
    (input, key) => {
      if (input === 'q' || (key.ctrl && input === 'c')) return exit();
      if (open) {
        if (key.escape || key.backspace || key.delete || key.leftArrow) setOpen(null);
        return;
      }
      if (input === 'r') return refresh();
      const n = snap?.pending.length ?? 0;
      if (key.downArrow || input === 'j') setSelected((i) => Math.min(n - 1, i + 1));
      if (key.upArrow || input === 'k') setSelected((i) => Math.max(0, i - 1));
      if (key.return && snap?.pending[selected])
        api
          .change(snap.pending[selected]!.id)
          .then(setOpen)
          .catch((e: Error) => setError(e.message));
    },
    { isActive: !once },
  );

  const width = Math.max(60, size.columns);
  // Height budget: header 2, platform box (4 platforms + 4), the rest shared by the three lists.
  const free = Math.max(6, size.rows - 2 - ((snap?.platforms.length ?? 4) + 4) - 9);
  const listRows = Math.max(1, Math.floor(free / 3));
  const head = snap
    ? `MBO — "${snap.me.workspace}" as ${snap.me.userId} (${snap.me.role}) · updated ${snap.at.toISOString().slice(11, 19)}Z · every ${intervalMs / 1000}s`
    : 'MBO — loading…';
  return h(
    Box,
    { flexDirection: 'column', width },
    h(Text, { bold: true, wrap: 'truncate' }, head),
    h(Text, { dimColor: true, wrap: 'truncate' }, `q quit · ↑↓ move · Enter open · Esc back · r refresh${error ? '' : ''}`),
    error ? h(Text, { color: 'red', wrap: 'truncate' }, `! ${t(error)}`) : null,
    snap && open ? h(Detail, { r: open, width }) : null,
    snap && !open
      ? h(
          Box,
          { flexDirection: 'column' },
          h(Platforms, { s: snap, width }),
          h(Pending, { s: snap, selected, width, rows: listRows + 1 }),
          h(Alerts, { s: snap, width, rows: listRows }),
          h(Syncs, { s: snap, width, rows: listRows }),
        )
      : null,
  );
}
