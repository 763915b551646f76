'use client';

import type * as Ort from 'onnxruntime-web';
import { readTarFiles } from '@/lib/server/edge/ustar';

/**
 * onnxruntime-web, loaded at run time from the app's own /ort/ route (never bundled, never a
 * CDN). One thread: several need cross-origin isolation (SharedArrayBuffer), which the
 * dashboard does not enable, and one row takes microseconds anyway.
 */
const ORT_URL: string = '/ort/ort.wasm.min.mjs';
let ortPromise: Promise<typeof Ort> | null = null;

function loadOrt(): Promise<typeof Ort> {
  ortPromise ??= (import(/* webpackIgnore: true */ /* turbopackIgnore: true */ ORT_URL) as Promise<typeof Ort>).then((ort) => {
    ort.env.wasm.wasmPaths = '/ort/';
    ort.env.wasm.numThreads = 1;
    ort.env.wasm.proxy = false;
    // The WebAssembly sandbox hides the CPU vendor, which onnxruntime reports as a warning on every load.
    ort.env.logLevel = 'error';
    return ort;
  });
  ortPromise.catch(() => (ortPromise = null));
  return ortPromise;
}

export interface BundleManifest {
  name: string;
  version: number;
  sha256: string;
  variant?: string;
  inputs: { name: string; type: string | null; shape: (number | string)[] | null }[];
  outputs: { name: string }[];
}

export interface LoadedBundle {
  manifest: BundleManifest;
  session: Ort.InferenceSession;
  bytes: number;
  /** False when the page is not a secure context (no WebCrypto) and the hash could not be checked. */
  checked: boolean;
}

/**
 * Downloads the version's edge bundle, opens the .tar.gz in the browser, checks model.onnx
 * against the manifest's sha256 and opens an onnxruntime-web session on it: what the browser
 * runs is exactly what a device would.
 */
export async function loadBundle(url: string): Promise<LoadedBundle> {
  const response = await fetch(url, { cache: 'no-store' });
  if (!response.ok || !response.body) {
    const problem = (await response.json().catch(() => null)) as { detail?: string } | null;
    throw new Error(problem?.detail ?? `The edge bundle could not be downloaded (${response.status}).`);
  }
  const archive = new Uint8Array(await new Response(response.body.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
  const files = readTarFiles(archive);
  const manifestBytes = files.get('manifest.json');
  const model = files.get('model.onnx');
  if (!manifestBytes || !model) throw new Error('The edge bundle has no manifest.json or model.onnx.');
  const manifest = JSON.parse(new TextDecoder().decode(manifestBytes)) as BundleManifest;
  let checked = false;
  if (globalThis.crypto?.subtle) {
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', model.slice()));
    const hex = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
    if (hex !== manifest.sha256) throw new Error(`model.onnx has sha256 ${hex}, but the manifest says ${manifest.sha256}.`);
    checked = true;
  }
  const ort = await loadOrt();
  const session = await ort.InferenceSession.create(model.slice(), { executionProviders: ['wasm'] });
  return { manifest, session, bytes: model.length, checked };
}

export type Answer = Record<string, number[]>;

/** One row through the session; latency is the session.run call alone. */
export async function runRow(bundle: LoadedBundle, values: number[]): Promise<{ outputs: Answer; latencyMs: number }> {
  const ort = await loadOrt();
  const input = bundle.manifest.inputs[0]?.name ?? bundle.session.inputNames[0]!;
  const started = performance.now();
  const result = await bundle.session.run({ [input]: new ort.Tensor('float32', Float32Array.from(values), [1, values.length]) });
  const latencyMs = performance.now() - started;
  const outputs: Answer = {};
  for (const [name, tensor] of Object.entries(result)) outputs[name] = Array.from(tensor.data as ArrayLike<number | bigint>, Number);
  return { outputs, latencyMs };
}
