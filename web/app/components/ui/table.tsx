// Table parts with one look; wide tables scroll sideways inside their card on a phone.
import * as React from 'react';
import { cn } from './cn';

export function Table({ className, ...props }: React.TableHTMLAttributes<HTMLTableElement>) {
  return (
    // Focusable, so a keyboard can scroll a table wider than a phone (axe: scrollable-region-focusable); relative,
    // so a visually hidden header (sr-only, absolutely placed) stays inside the scroll instead of widening the page.
    <div className="relative w-full overflow-x-auto" tabIndex={0}>
      <table className={cn('w-full border-collapse text-sm', className)} {...props} />
    </div>
  );
}
export const Th = ({ className, ...p }: React.ThHTMLAttributes<HTMLTableCellElement>) => (
  <th className={cn('border-b border-slate-200 px-2 py-2 text-left font-semibold text-slate-700', className)} {...p} />
);
export const Td = ({ className, ...p }: React.TdHTMLAttributes<HTMLTableCellElement>) => (
  <td className={cn('border-b border-slate-100 px-2 py-2 align-top', className)} {...p} />
);
