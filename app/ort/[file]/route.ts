import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';

/**
 * onnxruntime-web's runtime, served from the app itself (no CDN: these machines, and many
 * sites that run ModelDeck, have no internet access). Only the three files the WebAssembly
 * build loads are served, straight from the installed package, so they always match it.
 */
const FILES: Record<string, string> = {
  'ort.wasm.min.mjs': 'text/javascript; charset=utf-8',
  'ort-wasm-simd-threaded.mjs': 'text/javascript; charset=utf-8',
  // application/wasm lets the browser compile while downloading (instantiateStreaming).
  'ort-wasm-simd-threaded.wasm': 'application/wasm',
};

// turbopackIgnore: a path built at run time would otherwise make the build trace the whole project.
const dist = () => path.join(/* turbopackIgnore: true */ process.cwd(), 'node_modules', 'onnxruntime-web', 'dist');

export async function GET(_request: Request, context: { params: Promise<{ file: string }> }) {
  const { file } = await context.params;
  const type = Object.hasOwn(FILES, file) ? FILES[file] : undefined;
  if (!type) return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });
  const full = path.join(dist(), file);
  const info = await stat(full).catch(() => null);
  if (!info) return new Response('onnxruntime-web is not installed', { status: 404, headers: { 'content-type': 'text/plain' } });
  return new Response(Readable.toWeb(createReadStream(full)) as ReadableStream<Uint8Array>, {
    headers: { 'content-type': type, 'content-length': String(info.size), 'cache-control': 'public, max-age=86400' },
  });
}
