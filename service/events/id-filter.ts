/**
 * A Bloom filter of every event_id stored or acknowledged, so that the live path can tell a new
 * id from a possible duplicate without asking DuckDB. A miss is certain (the id was never seen:
 * accepted without a look-up); a hit may be false, and is then checked against the primary-key
 * index (about 1 ms per group, measured at 3 M events). Built at start-up from the stored ids
 * (~1.2 s at 3 M events, ~5 s at 13 M: one streamed scan of the event_id column) and fed every id
 * the service stores afterwards, whichever path stored it.
 *
 * Why not ask the index for every group: that look-up was the largest part of the old stage A and
 * kept DuckDB on the acknowledgement path. Why not an exact set of ids in memory: 13 M strings
 * cost over a GiB of heap; this costs 2 bytes per id (16 bits, 8 probes: ~0.05 % false hits at
 * capacity). It is sized at start-up for twice the stored ids plus a million; beyond that the
 * false-hit rate rises gracefully (more index look-ups, never a wrong answer) until the next
 * start-up sizes it again.
 *
 * A filter is `complete` once every stored id is in it. Until then it answers "maybe" for every
 * id (each one is looked up in the index: slower, never wrong), so the service can answer while
 * the start-up scan runs — 40+ s at 98 M events, which held `npm start` back before.
 */
export class IdFilter {
  private readonly bits: Uint32Array;
  private readonly mask: number;
  count = 0;
  /** Every stored id has been added (see above); before that, mayHave() is always true. */
  complete = false;

  constructor(readonly capacity: number) {
    // A power of two of 32-bit words, so a probe is a mask, not a modulo.
    let words = 1024;
    while (words * 32 < capacity * 16) words *= 2;
    this.bits = new Uint32Array(words);
    this.mask = words * 32 - 1;
  }

  /** Two independent 32-bit hashes of the id (FNV-1a and a multiply-xorshift), combined for 8 probes. */
  private static hashes(id: string): [number, number] {
    let h1 = 0x811c9dc5;
    let h2 = 0x9e3779b1;
    for (let i = 0; i < id.length; i++) {
      const c = id.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x85ebca6b);
      h2 ^= h2 >>> 13;
    }
    h2 = Math.imul(h2 ^ (h2 >>> 16), 0xc2b2ae35);
    return [h1 >>> 0, (h2 | 1) >>> 0];
  }

  add(id: string): void {
    const [a, b] = IdFilter.hashes(id);
    for (let i = 0; i < 8; i++) {
      const bit = (a + Math.imul(i, b)) & this.mask;
      this.bits[bit >>> 5] |= 1 << (bit & 31);
    }
    this.count++;
  }

  /** False: certainly never added. True: probably added, or the filter is not complete yet. */
  mayHave(id: string): boolean {
    if (!this.complete) return true;
    const [a, b] = IdFilter.hashes(id);
    for (let i = 0; i < 8; i++) {
      const bit = (a + Math.imul(i, b)) & this.mask;
      if ((this.bits[bit >>> 5] & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }

  get bytes(): number {
    return this.bits.byteLength;
  }
}
