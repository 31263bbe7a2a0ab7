import { describe, expect, it } from 'vitest';
import { boundedMemo } from './bounded-memo.js';

describe('boundedMemo', () => {
  it('computes each kept key once and answers every key right, kept or not', () => {
    let calls = 0;
    const square = boundedMemo((n: number) => (calls++, n * n), { max: 3 });
    expect([square(1), square(2), square(1), square(2)]).toEqual([1, 4, 1, 4]);
    expect(calls).toBe(2);
    expect(square.size).toBe(2);
  });

  it('keeps no more than max answers, and computes the rest each time', () => {
    let calls = 0;
    const id = boundedMemo((s: string) => (calls++, s.toUpperCase()), { max: 10 });
    for (let i = 0; i < 50; i++) expect(id(`k${i}`)).toBe(`K${i}`);
    expect(id.size).toBe(10);
    calls = 0;
    expect(id('k49')).toBe('K49');
    expect(id('k49')).toBe('K49');
    expect(calls).toBe(2); // not kept: computed on every call
    expect(id('k0')).toBe('K0');
    expect(calls).toBe(2); // kept
  });

  it('keeps only what keep() accepts', () => {
    let calls = 0;
    const parse = boundedMemo((s: string) => (calls++, Number.isNaN(Number(s)) ? undefined : Number(s)), {
      max: 100, keep: (key, value) => value !== undefined && key.length <= 3,
    });
    expect([parse('12'), parse('12'), parse('x'), parse('x'), parse('1234'), parse('1234')]).toEqual([12, 12, undefined, undefined, 1234, 1234]);
    expect(calls).toBe(5);
    expect(parse.size).toBe(1);
  });
});
