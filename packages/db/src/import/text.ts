/** The text encodings an import reads. */
export const ENCODINGS = ['utf-8', 'utf-8-bom', 'gbk'] as const;
export type Encoding = (typeof ENCODINGS)[number];

/**
 * Guesses a file's encoding from its first bytes: a UTF-8 byte-order mark says `utf-8-bom`;
 * bytes that are valid UTF-8 say `utf-8`; anything else is taken for GBK (GB 18030), what
 * Chinese banks' older systems export.
 */
export function detectEncoding(head: Uint8Array): Encoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8-bom';
  try {
    // stream: true, so a character cut off at the end of the sample is not an error
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return 'utf-8';
  } catch {
    return 'gbk';
  }
}

/** A file's bytes could not be read in the chosen encoding. */
export class EncodingError extends Error {}

/**
 * Decodes a byte stream chunk by chunk in one encoding, strictly: bytes that are not valid in it
 * stop the import with the line where they are (a wrong encoding must not become mojibake in
 * the database). A UTF-8 byte-order mark is dropped.
 */
export class StrictDecoder {
  private readonly decoder: { decode(bytes: Uint8Array, options: { stream: boolean }): string };
  private line = 1;
  constructor(readonly encoding: Encoding) {
    this.decoder = new TextDecoder(encoding === 'gbk' ? 'gbk' : 'utf-8', {
      fatal: true,
      ignoreBOM: false,
    });
  }

  /** Decodes one chunk (`last` for the final one). */
  decode(bytes: Uint8Array, last = false): string {
    let text: string;
    try {
      text = this.decoder.decode(bytes, { stream: !last });
    } catch {
      throw new EncodingError(
        `line ${this.line + countLines(bytes, firstInvalid(bytes, this.encoding))}: bytes that are not valid ${this.encoding === 'gbk' ? 'GBK' : 'UTF-8'}` +
          (this.encoding === 'gbk' ? '' : ' (if the file is GBK-encoded, choose encoding gbk)'),
      );
    }
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.line++;
    return text;
  }
}

function countLines(bytes: Uint8Array, upTo: number): number {
  let k = 0;
  for (let i = 0; i < upTo && i < bytes.length; i++) if (bytes[i] === 10) k++;
  return k;
}

/** The offset of the first byte sequence a strict decoder refuses (a close guess is enough). */
function firstInvalid(bytes: Uint8Array, encoding: Encoding): number {
  let lo = 0;
  let hi = bytes.length;
  // binary search on the longest valid prefix
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    try {
      new TextDecoder(encoding === 'gbk' ? 'gbk' : 'utf-8', { fatal: true }).decode(
        bytes.subarray(0, mid),
        { stream: true },
      );
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  return lo;
}
