import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { MyelinError } from '@myelin/core';
import { describe, expect, it } from 'vitest';
import {
  DataFormatError,
  DataNotFoundError,
  decodeIdx,
  encodeIdx,
  gunzip,
  parseCsv,
  parseIdx,
} from '../src/index.js';
import { readCsv, readIdx } from '../src/node.js';

const tmp = mkdtempSync(join(tmpdir(), 'myelin-data-'));

describe('IDX', () => {
  const images = {
    type: 'uint8' as const,
    shape: [3, 2, 2],
    data: Uint8Array.from({ length: 12 }, (_, i) => i * 20),
  };

  it('round-trips every element type, big-endian', () => {
    const cases = [
      images,
      { type: 'int8' as const, shape: [3], data: Int8Array.from([-128, 0, 127]) },
      { type: 'int16' as const, shape: [2], data: Int16Array.from([-300, 300]) },
      { type: 'int32' as const, shape: [2, 1], data: Int32Array.from([-70000, 70000]) },
      { type: 'float32' as const, shape: [2], data: Float32Array.from([1.5, -2.25]) },
      { type: 'float64' as const, shape: [1], data: Float64Array.from([Math.PI]) },
    ];
    for (const c of cases) expect(parseIdx(encodeIdx(c))).toEqual(c);
    const bytes = encodeIdx(cases[3] as (typeof cases)[number]);
    expect(Array.from(bytes.subarray(0, 12))).toEqual([0, 0, 0x0c, 2, 0, 0, 0, 2, 0, 0, 0, 1]);
  });

  it('reads the MNIST header layout: magic 0x00000803 then the dims', () => {
    const bytes = encodeIdx(images);
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0, 0, 8, 3]);
    expect(parseIdx(bytes).shape).toEqual([3, 2, 2]);
  });

  it('decodes gzipped bytes with DecompressionStream', async () => {
    const gz = new Uint8Array(gzipSync(encodeIdx(images)));
    expect(await decodeIdx(gz)).toEqual(images);
  });

  it('names what is wrong with corrupt data', async () => {
    const good = encodeIdx(images);
    expect(() => parseIdx(good.subarray(0, 3), 'f')).toThrow(/f: only 3 bytes/);
    expect(() => parseIdx(Uint8Array.from([1, 2, 8, 1, 0, 0, 0, 0]))).toThrow(/bad magic number 01 02 08 01/);
    expect(() => parseIdx(Uint8Array.from([0, 0, 7, 1, 0, 0, 0, 0]))).toThrow(/bad magic/);
    expect(() => parseIdx(good.subarray(0, 10))).toThrow(/truncated header/);
    expect(() => parseIdx(good.subarray(0, good.length - 1))).toThrow(
      /truncated: dims \[3,2,2\] of uint8 need 12 bytes of data, found 11/,
    );
    expect(() => parseIdx(new Uint8Array([...good, 0]))).toThrow(/1 bytes after the data/);
    expect(() => parseIdx(Uint8Array.from([0, 0, 8, 0]))).toThrow(/0 dims/);
    expect(() => parseIdx(Uint8Array.from([0, 0, 8, 2, 255, 255, 255, 255, 255, 255, 255, 255]))).toThrow(
      /header is corrupt/,
    );
    expect(() => parseIdx(new Uint8Array(gzipSync(good)))).toThrow(/gzip/);
    const gz = new Uint8Array(gzipSync(good));
    await expect(decodeIdx(gz.subarray(0, gz.length - 6))).rejects.toThrow(DataFormatError);
    try {
      parseIdx(good.subarray(0, 2));
    } catch (e) {
      expect(e).toBeInstanceOf(MyelinError);
    }
  });

  it('reads files in Node, gzipped or not, with clear errors for missing or damaged ones', async () => {
    const raw = join(tmp, 'x-idx3-ubyte');
    const gz = join(tmp, 'x-idx3-ubyte.gz');
    const cut = join(tmp, 'cut-idx3-ubyte.gz');
    const gzBytes = gzipSync(encodeIdx(images));
    writeFileSync(raw, encodeIdx(images));
    writeFileSync(gz, gzBytes);
    writeFileSync(cut, gzBytes.subarray(0, gzBytes.length - 10));
    expect(await readIdx(raw)).toEqual(images);
    expect(await readIdx(gz)).toEqual(images);
    await expect(readIdx(cut)).rejects.toThrow(/truncated/);
    await expect(readIdx(join(tmp, 'nope'), 'put it there')).rejects.toThrow(DataNotFoundError);
    await expect(readIdx(join(tmp, 'nope'), 'put it there')).rejects.toThrow(/does not exist: put it there/);
  });
});

describe('gunzip', () => {
  it('inflates and reports bad input', async () => {
    const text = 'hello '.repeat(100);
    expect(new TextDecoder().decode(await gunzip(new Uint8Array(gzipSync(text))))).toBe(text);
    await expect(gunzip(Uint8Array.from([0x1f, 0x8b, 1, 2, 3]), 'thing')).rejects.toThrow(
      /thing is not valid gzip/,
    );
  });
});

describe('CSV', () => {
  it('reads a header, features and a named label column', () => {
    const t = parseCsv('a,b,label\r\n1,2,0\n\n3.5,-4e1,1\n', { labelColumn: 'label' });
    expect(t.rows).toBe(2);
    expect(t.columns).toEqual(['a', 'b']);
    expect(t.labelName).toBe('label');
    expect(Array.from(t.x)).toEqual([1, 2, 3.5, -40]);
    expect(t.y).toEqual(Int32Array.from([0, 1]));
  });

  it('detects a missing header, takes negative label indices, float labels and other delimiters', () => {
    const t = parseCsv('1;2;0.5\n3;4;1.5', { labelColumn: -1, labelType: 'float32', delimiter: ';' });
    expect(t.columns).toEqual(['c0', 'c1']);
    expect(t.y).toEqual(Float32Array.from([0.5, 1.5]));
    const quoted = parseCsv('"x","y"\n"1","2"');
    expect(Array.from(quoted.x)).toEqual([1, 2]);
    expect(quoted.y).toBeUndefined();
  });

  it('names the line and column of bad cells', () => {
    expect(() => parseCsv('a,b\n1,2\n3')).toThrow(/line 3 has 1 fields, expected 2/);
    expect(() => parseCsv('a,b\n1,x', { what: 'f.csv' })).toThrow(
      /f.csv: line 2, column 2 \(b\): 'x' is not a number/,
    );
    expect(() => parseCsv('1,2\n3,')).toThrow(/'' is not a number/);
    expect(() => parseCsv('a,b\n1,2.5', { labelColumn: 'b' })).toThrow(/not an integer/);
    expect(() => parseCsv('a,b\n1,2', { labelColumn: 'c' })).toThrow(/no column named 'c'/);
    expect(() => parseCsv('a,b\n1,2', { labelColumn: 5 })).toThrow(/outside the 2 columns/);
    expect(() => parseCsv('  \n')).toThrow(/is empty/);
    expect(() => parseCsv('1,2', { header: true, labelColumn: 0 })).not.toThrow();
  });

  it('reads files in Node, gzipped or not', async () => {
    const path = join(tmp, 't.csv.gz');
    writeFileSync(path, gzipSync('f,label\n0.5,1\n0.25,0\n'));
    const t = await readCsv(path, { labelColumn: 'label' });
    expect(Array.from(t.x)).toEqual([0.5, 0.25]);
    await expect(readCsv(join(tmp, 'none.csv'))).rejects.toThrow(DataNotFoundError);
  });
});
