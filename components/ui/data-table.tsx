import type { ReactNode } from 'react';

/**
 * The app's table: scrollable wrapper, column headers, and the rows the caller renders.
 * A column header may be any node (e.g. a visually hidden label for an actions column).
 */
export function DataTable({ label, columns, children }: { label?: string; columns: ReactNode[]; children: ReactNode }) {
  return (
    <div className="table-wrap">
      <table className="table" aria-label={label}>
        <thead>
          <tr>
            {columns.map((column, index) => (
              <th key={index} scope="col">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
