/** A value read from an input row: CSV gives strings, NDJSON any JSON value. */
export type CellValue = string | number | boolean | null | object;

/** A readable row: a column's value by name (undefined when the row has no such column). */
export interface ParsedRow {
  value(name: string): CellValue | undefined;
  /** Formats with a header: the value at a column position (see `columnsOf`), skipping the lookup by name. */
  valueAt?(column: number): CellValue | undefined;
}

/**
 * One batch input format (CSV, NDJSON, …). The runner only splits records, asks the format
 * to read and write them, and never looks inside a record itself: adding a format is one
 * file and one line in formats/index.ts.
 */
export interface BatchInputFormat {
  readonly name: 'csv' | 'ndjson';
  readonly contentType: string;
  /** A record can span lines inside double quotes (CSV). */
  readonly quoted: boolean;
  /** The first record names the columns (CSV). */
  readonly hasHeader: boolean;
  /** Why the first record shows the body is not this format, or null. Checked at upload. */
  checkFirst(record: string): string | null;
  /** Column names from the header record (formats without one: []). */
  parseHeader(record: string): string[];
  /** The row's values by column, or the reason it cannot be read. */
  parseRow(record: string, header: readonly string[]): ParsedRow | { error: string };
  /** The output's first lines: the input header plus the prediction columns ('' without a header). */
  writeHeader(header: readonly string[], predictionColumns: readonly string[]): string;
  /**
   * The input record with its predictions (aligned with `predictionColumns`) or its error
   * appended, newline-terminated.
   */
  writeRow(record: string, predictions: ReadonlyArray<number | string> | null, error: string | null, predictionColumns: readonly string[]): string;
}

/**
 * A prediction column whose name the input already uses (a `label` column of ground truth
 * next to a classifier's `label` output) is written as `predicted_<name>`, so neither hides
 * the other.
 */
export function outputName(column: string, taken: (name: string) => boolean): string {
  return taken(column) ? `predicted_${column}` : column;
}
