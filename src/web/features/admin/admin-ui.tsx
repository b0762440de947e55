/** Small building blocks of the organizer console. */
import type { TFunction } from 'i18next';
import { type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import type { z } from 'zod';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { FieldFrame } from '../../components/Field.js';
import { Spinner } from '../../components/Spinner.js';
import type { Loadable } from '../../lib/hooks.js';

export function ConsoleHeader({
  eyebrow,
  title,
  children,
  actions,
}: {
  eyebrow?: ReactNode;
  title: ReactNode;
  children?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <header className="console-header">
      <div className="console-header-text">
        {eyebrow && <p className="eyebrow">{eyebrow}</p>}
        <h1 className="console-title">{title}</h1>
        {children && <div className="console-sub">{children}</div>}
      </div>
      {actions && <div className="console-header-actions">{actions}</div>}
    </header>
  );
}

export function Panel({ title, actions, children, className = '', id }: { title?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string; id?: string }) {
  return (
    <section className={`panel card ${className}`} aria-labelledby={title && id ? `${id}-title` : undefined} id={id}>
      {(title || actions) && (
        <div className="panel-head">
          {title && (
            <h2 className="panel-title" id={id ? `${id}-title` : undefined}>
              {title}
            </h2>
          )}
          {actions && <div className="panel-actions">{actions}</div>}
        </div>
      )}
      {children}
    </section>
  );
}

/** A console table that scrolls sideways on a narrow screen: its column heads, then its rows. */
export function DataTable({ headers, testId, children }: { headers: ReactNode[]; testId?: string; children: ReactNode }) {
  return (
    <div className="table-scroll">
      <table className="data-table" data-testid={testId}>
        <thead>
          <tr>
            {headers.map((h, i) => (
              <th scope="col" key={i}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** What a panel shows of something it loads: a spinner, the error, the text for nothing, or the data. */
export function Loaded<T>({
  load,
  loading,
  empty,
  isEmpty,
  children,
}: {
  load: Loadable<T>;
  loading: string;
  empty: ReactNode;
  isEmpty: (data: T) => boolean;
  children: (data: T) => ReactNode;
}) {
  if (load.status === 'loading') return <Spinner label={loading} />;
  if (load.status === 'error') return <ErrorMessage error={load.error} />;
  return isEmpty(load.data) ? <p className="muted">{empty}</p> : <>{children(load.data)}</>;
}

export function TextArea({
  label,
  error,
  hint,
  className,
  ...rest
}: { label: ReactNode; error?: string | undefined; hint?: ReactNode } & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return <FieldFrame label={label} error={error} hint={hint} className={className} control={(c) => <textarea className="input textarea" {...c} {...rest} />} />;
}

export function Select({
  label,
  error,
  children,
  className,
  ...rest
}: { label: ReactNode; error?: string | undefined; children: ReactNode } & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <FieldFrame
      label={label}
      error={error}
      className={className}
      control={(c) => (
        <select className="input select" {...c} {...rest}>
          {children}
        </select>
      )}
    />
  );
}

/** A console form field the shared schema refused, in words: empty or too long; else the schema's own message. */
export function issueText(t: TFunction, issue: z.core.$ZodIssue): string {
  if (issue.code === 'too_small') return t('admin.required');
  if (issue.code === 'too_big') return t('admin.tooLong', { max: Number(issue.maximum) });
  return issue.message;
}

/** An integer from a form input, or null when it is not one. */
export function intOf(value: string): number | null {
  const t = value.trim();
  if (!/^-?\d+$/.test(t)) return null;
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : null;
}

/** Seconds as "1 min 30 s" for compact figures, in the reader's language; null as an em dash. */
export function formatSecondsShort(t: TFunction, s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return '—';
  const v = Math.max(0, Math.round(s));
  if (v < 60) return t('admin.dashboard.short.s', { s: v });
  const m = Math.floor(v / 60);
  const r = v % 60;
  if (m < 60) return r ? t('admin.dashboard.short.minS', { m, s: r }) : t('admin.dashboard.short.min', { m });
  const h = Math.floor(m / 60);
  return t('admin.dashboard.short.hMin', { h, m: m % 60 });
}
