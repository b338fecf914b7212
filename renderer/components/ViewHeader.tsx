import type { ReactNode } from 'react';

/** A view's title (focused after navigation, hence tabIndex -1), what it is for, and its main actions. */
export function ViewHeader({
  title,
  titleId,
  intro,
  children,
}: {
  title: string;
  titleId: string;
  intro?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <header className="view-header">
      <div className="view-heading">
        <h1 id={titleId} tabIndex={-1}>
          {title}
        </h1>
        {intro === undefined ? null : <p className="view-intro">{intro}</p>}
      </div>
      {children === undefined ? null : <div className="view-actions">{children}</div>}
    </header>
  );
}
