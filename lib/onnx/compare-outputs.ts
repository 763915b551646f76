import * as ort from 'onnxruntime-node';

export interface OutputDifference {
  name: string;
  /** Largest and mean |variant − original| over every value of this output. */
  maxAbsDiff: number;
  meanAbsDiff: number;
  /** Share of values exactly equal (meaningful for labels). */
  agreement: number;
}

export interface OutputComparison {
  rows: number;
  outputs: OutputDifference[];
}

/**
 * Runs two graphs with the same signature over the same rows and measures how far apart
 * their answers are, output by output. Both take one float32 input of shape [N, features].
 */
export async function compareModelOutputs(original: Uint8Array, variant: Uint8Array, rows: readonly (readonly number[])[]): Promise<OutputComparison> {
  if (rows.length === 0) throw new Error('No rows to compare the outputs on.');
  const width = rows[0]!.length;
  const [a, b] = await Promise.all([ort.InferenceSession.create(original), ort.InferenceSession.create(variant)]);
  try {
    const input = a.inputNames[0];
    if (a.inputNames.length !== 1 || !input) throw new Error('Only graphs with one input can be compared row by row.');
    const feed = () => ({ [input]: new ort.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, width]) });
    const [left, right] = [await a.run(feed()), await b.run(feed())];
    const outputs = a.outputNames.map((name): OutputDifference => {
      const x = left[name]!.data as ArrayLike<number | bigint>;
      const y = right[name]?.data as ArrayLike<number | bigint> | undefined;
      if (!y || y.length !== x.length) throw new Error(`The variant's output ${name} does not match the original's shape.`);
      let max = 0;
      let sum = 0;
      let equal = 0;
      for (let i = 0; i < x.length; i++) {
        const diff = Math.abs(Number(x[i]) - Number(y[i]));
        max = Math.max(max, diff);
        sum += diff;
        if (diff === 0) equal += 1;
      }
      return { name, maxAbsDiff: max, meanAbsDiff: sum / x.length, agreement: equal / x.length };
    });
    return { rows: rows.length, outputs };
  } finally {
    await Promise.all([a.release(), b.release()]);
  }
}
