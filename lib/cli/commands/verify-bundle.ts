import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { verifyBundle } from '@/lib/server/edge/verify-bundle';
import { EXIT, type CommandIo } from './io';

export const VERIFY_BUNDLE_USAGE = `Usage: modeldeck verify-bundle <bundle.tar.gz> --public-key <key.pem | signing-key.json>
Checks, offline, that manifest.json is signed by that key and that model.onnx matches the
sha256 it names. Exit 0: valid; 1: tampered or signed by another key; 2: unreadable input.
Get the key once with: curl -H "Authorization: Bearer $MODELDECK_TOKEN" $MODELDECK_URL/api/v1/signing-key`;

export async function verifyBundleCommand(args: string[], io: CommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { 'public-key': { type: 'string' } } });
  } catch (error) {
    io.stderr(`${error instanceof Error ? error.message : String(error)}\n\n${VERIFY_BUNDLE_USAGE}\n`);
    return EXIT.usage;
  }
  const [file] = parsed.positionals;
  const keyFile = parsed.values['public-key'];
  if (!file || !keyFile || parsed.positionals.length > 1) {
    io.stderr(`${VERIFY_BUNDLE_USAGE}\n`);
    return EXIT.usage;
  }
  let bundle: Buffer;
  let publicKey: string;
  try {
    bundle = await readFile(path.resolve(io.cwd, file));
    const keyText = await readFile(path.resolve(io.cwd, keyFile), 'utf8');
    // Accept the API's JSON answer as saved by curl, as well as the bare PEM.
    publicKey = keyText.trimStart().startsWith('{') ? String((JSON.parse(keyText) as { publicKey?: unknown }).publicKey ?? '') : keyText;
  } catch (error) {
    io.stderr(`${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.usage;
  }
  const result = verifyBundle(bundle, publicKey);
  if (!result.ok) {
    io.stderr(`INVALID ${file}: ${result.problem}\n`);
    return EXIT.failed;
  }
  io.stdout(`OK ${file}: ${result.manifest.name} v${result.manifest.version}, signature valid, model.onnx sha256 ${result.manifest.sha256}\n`);
  return EXIT.ok;
}
