import type { ReactNode } from 'react';

/** A chart in a panel: its title, controls and a CSV link (the export route serves the chart's data). */
export function ChartPanel(props: { id: string; title: string; csvHref?: string; controls?: ReactNode; children: ReactNode; wide?: boolean }) {
  return (
    <section className={`panel chart-panel${props.wide ? ' wide' : ''}`} aria-labelledby={`${props.id}-heading`} data-testid={`chart-${props.id}`}>
      <header className="chart-head">
        <h2 id={`${props.id}-heading`}>{props.title}</h2>
        <div className="chart-tools">
          {props.controls}
          {props.csvHref ? (
            <a className="btn small" href={props.csvHref} download aria-label={`Download ${props.title} as CSV`}>
              CSV
            </a>
          ) : null}
        </div>
      </header>
      {props.children}
    </section>
  );
}

/** What a chart without data says: what to send to fill it. */
export function ChartEmpty({ children }: { children: ReactNode }) {
  return (
    <div className="chart-empty" role="status">
      {children}
    </div>
  );
}
