import type { ReactNode } from 'react';

export type BadgeTone = 'ok' | 'failed' | 'warn' | 'muted' | 'info';

export function Badge({ tone, children, title }: { tone: BadgeTone; children: ReactNode; title?: string }) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}
