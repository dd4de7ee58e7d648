/** Deterministic atproto record keys (TIDs) for the parts of a publish, from the recorded intent. */
const S32 = '234567abcdefghijklmnopqrstuvwxyz';

/** A TID (atproto record key): 53 bits of microseconds since the epoch + 10 bits of clock id, base32-sortable. */
export function tid(micros: bigint, clockId: number): string {
  let v = (micros << 10n) | BigInt(clockId & 1023);
  let s = '';
  for (let i = 0; i < 13; i++) {
    s = S32[Number(v & 31n)] + s;
    v >>= 5n;
  }
  return s;
}

/** The record key of part `index` of a publish started at `started` with intent key `key`. */
export function recordKey(started: string, key: string, index: number): string {
  const ms = Date.parse(started);
  if (isNaN(ms)) throw new Error(`bad intent time ${started}`);
  return tid(BigInt(ms) * 1000n + BigInt(index), parseInt(key.slice(0, 4), 16) % 1024);
}
