// The campaigns table (TanStack Table): sort by any column, filter by name and platform, a sparkline of spend.
import {
  createColumnHelper,
  flexRender,
  getCoreRowModel,
  getFilteredRowModel,
  getSortedRowModel,
  useReactTable,
  type SortingState,
} from '@tanstack/react-table';
import { useState } from 'react';
import { Link } from 'react-router';
import { money, PLATFORM_LABEL } from '../lib/format';
import { Sparkline } from './charts';
import { Input, Select } from './ui/input';
import { Label } from './ui/label';
import { Table, Td, Th } from './ui/table';

export interface CampaignRow {
  id: string;
  name: string;
  externalId: string;
  platform: string;
  account: string;
  status: string;
  dailyBudget: number | null;
  currency: string;
  spend: number;
  revenue: number;
  roas: number | null;
  trend: number[];
}

const col = createColumnHelper<CampaignRow>();
const columns = [
  col.accessor('name', {
    header: 'Campaign',
    cell: (c) => (
      <Link className="text-blue-800 underline" to={`/campaigns/${c.row.original.id}`}>
        {c.getValue()}
      </Link>
    ),
  }),
  col.accessor('platform', { header: 'Platform', cell: (c) => PLATFORM_LABEL[c.getValue()] ?? c.getValue(), filterFn: 'equalsString' }),
  col.accessor('status', { header: 'Status' }),
  col.accessor('dailyBudget', { header: 'Daily budget', cell: (c) => money(c.getValue(), c.row.original.currency) }),
  col.accessor('spend', { header: 'Spend (period)', cell: (c) => money(c.getValue()) }),
  col.accessor('roas', { header: 'ROAS', cell: (c) => (c.getValue() === null ? '—' : c.getValue()!.toFixed(2)) }),
  col.display({ id: 'trend', header: 'Spend trend', cell: (c) => <Sparkline values={c.row.original.trend} label={`spend trend of ${c.row.original.name}`} /> }),
];

export function CampaignTable({ rows }: { rows: CampaignRow[] }) {
  const [sorting, setSorting] = useState<SortingState>([]);
  const [name, setName] = useState('');
  const [platform, setPlatform] = useState('');
  const table = useReactTable({
    data: rows,
    columns,
    state: {
      sorting,
      columnFilters: [...(name ? [{ id: 'name', value: name }] : []), ...(platform ? [{ id: 'platform', value: platform }] : [])],
    },
    onSortingChange: setSorting,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
  });
  const platforms = [...new Set(rows.map((r) => r.platform))];
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap gap-3">
        <div className="min-w-48 flex-1">
          <Label htmlFor="filter-name">Filter by name</Label>
          <Input id="filter-name" value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="min-w-40">
          <Label htmlFor="filter-platform">Platform</Label>
          <Select id="filter-platform" value={platform} onChange={(e) => setPlatform(e.target.value)}>
            <option value="">All</option>
            {platforms.map((p) => (
              <option key={p} value={p}>
                {PLATFORM_LABEL[p] ?? p}
              </option>
            ))}
          </Select>
        </div>
      </div>
      <Table>
        <thead>
          {table.getHeaderGroups().map((g) => (
            <tr key={g.id}>
              {g.headers.map((h) => (
                <Th key={h.id} aria-sort={h.column.getIsSorted() === 'asc' ? 'ascending' : h.column.getIsSorted() === 'desc' ? 'descending' : undefined}>
                  {h.column.getCanSort() ? (
                    <button type="button" className="font-semibold" onClick={h.column.getToggleSortingHandler()}>
                      {flexRender(h.column.columnDef.header, h.getContext())}
                      {h.column.getIsSorted() === 'asc' ? ' ▲' : h.column.getIsSorted() === 'desc' ? ' ▼' : ''}
                    </button>
                  ) : (
                    flexRender(h.column.columnDef.header, h.getContext())
                  )}
                </Th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((r) => (
            <tr key={r.id} data-testid="campaign-row">
              {r.getVisibleCells().map((c) => (
                <Td key={c.id}>{flexRender(c.column.columnDef.cell, c.getContext())}</Td>
              ))}
            </tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}
