/**
 * The Arrow column reader against Arrow's own accessors: the text of every cell, and the packed
 * form (cells joined by 0x1F, a null as 0x1E), including vectors sliced at odd offsets, where
 * Arrow shifts the value buffers but not the null bitmap.
 */
import { Float64, Int32, Utf8, vectorFromArray, type Vector } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { arrowColumn, Packer } from '../../../service/events/readers/arrow.ts';

const strings = ['a', null, 'Ünïcødé ✓', '', 'with\nnewline', null, 'x'.repeat(300), 'last'];
const numbers = [1.5, null, -0, 1e21, Number.NaN, 7, null, 2 ** 53];

function cells(vector: Vector): (string | null)[] {
  const column = arrowColumn(vector, vector.type);
  return Array.from({ length: vector.length }, (_, i) => (column.isValid(i) ? column.text(i) : null));
}

function packed(vector: Vector, start: number, rows: number): string {
  const packer = new Packer();
  arrowColumn(vector, vector.type).pack(packer, start, rows);
  return new TextDecoder().decode(packer.take());
}

const expectedText = (v: unknown) => (v === null ? null : String(v));
const expectedPack = (values: unknown[]) => values.map((v) => (v === null ? '\u001e' : String(v))).join('\u001f');

describe('Arrow column reader', () => {
  for (const [name, vector, values] of [
    ['Utf8', vectorFromArray(strings, new Utf8()), strings],
    ['Float64', vectorFromArray(numbers, new Float64()), numbers],
    ['Int32', vectorFromArray([3, null, -4, 2 ** 31 - 1], new Int32()), [3, null, -4, 2 ** 31 - 1]],
  ] as const) {
    it(`${name}: reads each cell as its text, whole and sliced`, () => {
      expect(cells(vector)).toEqual(values.map(expectedText));
      for (const from of [1, 3]) {
        const slice = vector.slice(from);
        expect(slice.data[0].offset, 'Arrow keeps the slice offset').toBe(from);
        expect(cells(slice)).toEqual(values.slice(from).map(expectedText));
      }
    });

    it(`${name}: packs a run of cells, whole and sliced`, () => {
      expect(packed(vector, 0, values.length)).toBe(expectedPack([...values]));
      expect(packed(vector, 1, 2)).toBe(expectedPack(values.slice(1, 3)));
      const slice = vector.slice(1);
      expect(packed(slice, 1, slice.length - 1)).toBe(expectedPack(values.slice(2)));
    });
  }

  it('marks a Utf8 column holding a packing byte as not packable', () => {
    expect(arrowColumn(vectorFromArray(['ok', 'a\u001fb'], new Utf8()), new Utf8()).packable).toBe(false);
    expect(arrowColumn(vectorFromArray(['ok', 'fine'], new Utf8()), new Utf8()).packable).toBe(true);
  });
});
