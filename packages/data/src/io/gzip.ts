/** Gzip in any JavaScript runtime: `DecompressionStream` (Node ≥ 18, every current browser). */
import { DataFormatError } from '../errors.js';

/** Whether `bytes` start with the gzip magic number (1f 8b). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decompresses gzip bytes with the platform's `DecompressionStream`. `what` names the data in errors.
 *
 * @example
 * ```ts
 * const raw = await gunzip(new Uint8Array(await (await fetch(url)).arrayBuffer()));
 * ```
 */
export async function gunzip(bytes: Uint8Array, what = 'data'): Promise<Uint8Array> {
  if (typeof DecompressionStream === 'undefined') {
    throw new DataFormatError(
      'gunzip',
      `${what} is gzipped and this runtime has no DecompressionStream (Node ≥ 18 or a current browser has one)`,
    );
  }
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
      .stream()
      .pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (e) {
    throw new DataFormatError(
      'gunzip',
      `${what} is not valid gzip data, or is truncated (${(e as Error).message})`,
    );
  }
}

/** Bytes from base64 text, with `atob` (every browser, Node ≥ 16). */
export function fromBase64(text: string): Uint8Array {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
