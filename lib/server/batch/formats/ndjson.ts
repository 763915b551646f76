import { outputName, type BatchInputFormat, type CellValue, type ParsedRow } from './types';

function isObject(value: unknown): value is Record<string, CellValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class JsonRow implements ParsedRow {
  constructor(private readonly object: Record<string, CellValue>) {}

  value(name: string): CellValue | undefined {
    return Object.hasOwn(this.object, name) ? this.object[name] : undefined;
  }
}

/** One JSON object per line; the output line is the input object with the prediction fields added. */
export const ndjsonFormat: BatchInputFormat = {
  name: 'ndjson',
  contentType: 'application/x-ndjson',
  quoted: false,
  hasHeader: false,
  checkFirst(record) {
    try {
      return isObject(JSON.parse(record)) ? null : 'The first line is JSON but not an object; NDJSON rows are objects.';
    } catch {
      return 'The first line is not JSON; send one JSON object per line.';
    }
  },
  parseHeader() {
    return [];
  },
  parseRow(record) {
    let value: unknown;
    try {
      value = JSON.parse(record);
    } catch {
      return { error: 'Not valid JSON.' };
    }
    return isObject(value) ? new JsonRow(value) : { error: 'Not a JSON object.' };
  },
  writeHeader() {
    return '';
  },
  writeRow(record, predictions, error, predictionColumns) {
    let row: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(record);
      row = isObject(parsed) ? parsed : { input: record };
    } catch {
      row = { input: record };
    }
    const out: Record<string, unknown> = { ...row };
    if (error === null && predictions) predictionColumns.forEach((column, j) => (out[outputName(column, (name) => name in row)] = predictions[j]));
    else out[outputName('error', (name) => name in row)] = error;
    return JSON.stringify(out) + '\n';
  },
};
