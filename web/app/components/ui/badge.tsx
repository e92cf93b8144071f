// Badge: a status pill in one of a few tones (colours chosen for contrast on white).
import * as React from 'react';
import { cn } from './cn';

const TONES = {
  green: 'bg-green-100 text-green-900',
  amber: 'bg-amber-100 text-amber-900',
  red: 'bg-red-100 text-red-900',
  blue: 'bg-blue-100 text-blue-900',
  slate: 'bg-slate-100 text-slate-800',
} as const;

export function Badge({ tone = 'slate', className, ...props }: React.HTMLAttributes<HTMLSpanElement> & { tone?: keyof typeof TONES }) {
  return <span className={cn('inline-flex items-center rounded px-2 py-0.5 text-xs font-medium', TONES[tone], className)} {...props} />;
}
