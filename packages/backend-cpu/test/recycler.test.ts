import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../src/index.js';
import { Recycler } from '../src/recycler.js';

const BIG = Recycler.MIN_ELEMENTS * 2;

describe('Recycler', () => {
  it('hands a freed array back, zeroed, for the same dtype and size only', () => {
    const bin = new Recycler(1 << 20);
    const a = bin.take('float32', BIG) as Float32Array;
    a.fill(3);
    bin.give('float32', a);
    expect(bin.bytes).toBe(BIG * 4);
    expect(bin.take('int32', BIG)).not.toBe(a);
    expect(bin.take('float32', BIG + 1)).not.toBe(a);
    const again = bin.take('float32', BIG);
    expect(again).toBe(a);
    expect(again.every((v) => v === 0)).toBe(true);
    expect(bin.bytes).toBe(0);
  });

  it('leaves small arrays and arrays bigger than its budget to the garbage collector', () => {
    const bin = new Recycler(BIG * 8);
    bin.give('float32', new Float32Array(16));
    bin.give('float32', new Float32Array(BIG * 3));
    expect(bin.bytes).toBe(0);
    bin.give('float32', new Float32Array(BIG));
    expect(bin.bytes).toBe(BIG * 4);
    bin.clear();
    expect(bin.bytes).toBe(0);
  });

  it('drops the longest-kept arrays when the budget is full, so the newest sizes stay', () => {
    const bin = new Recycler(BIG * 8);
    const old1 = new Float32Array(BIG);
    const old2 = new Float32Array(BIG);
    bin.give('float32', old1);
    bin.give('float32', old2);
    const fresh = new Int32Array(BIG);
    bin.give('int32', fresh);
    expect(bin.bytes).toBe(BIG * 8);
    expect(bin.take('float32', BIG)).toBe(old2);
    expect(bin.take('float32', BIG)).not.toBe(old1);
    expect(bin.take('int32', BIG)).toBe(fresh);
    expect(bin.bytes).toBe(0);
  });
});

describe('CpuBackend buffer reuse', () => {
  it('reuses a freed buffer of its own for the next output, zeroed, and never an adopted array', () => {
    const be = new CpuBackend();
    const first = be.allocate({ shape: [BIG], dtype: 'float32', size: BIG });
    first.values.fill(5);
    be.free(first.id);
    const second = be.allocate({ shape: [BIG], dtype: 'float32', size: BIG });
    expect(second.values).toBe(first.values);
    expect((second.values as Float32Array).every((v) => v === 0)).toBe(true);
    expect(() => be.dataOf(first.id)).toThrow(/freed/);

    const mine = new Float32Array(BIG).fill(7);
    const adopted = be.adopt(mine, 'float32');
    be.free(adopted);
    const third = be.allocate({ shape: [BIG], dtype: 'float32', size: BIG });
    expect(third.values).not.toBe(mine);
    expect(mine[0]).toBe(7);
    expect(be.memory()).toEqual({ buffers: 2, bytes: BIG * 8 });
  });
});
