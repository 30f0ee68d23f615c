import { useId, type ReactNode } from 'react';

/** A landmark region named by its heading: every panel is one. */
export function Panel({
  title,
  className,
  actions,
  children,
}: {
  title: string;
  className?: string;
  actions?: ReactNode;
  children: ReactNode;
}) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className={`panel ${className ?? ''}`}>
      <header className="panel-header">
        <h2 id={headingId}>{title}</h2>
        {actions}
      </header>
      <div className="panel-body">{children}</div>
    </section>
  );
}
