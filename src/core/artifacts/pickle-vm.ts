/**
 * A static pickle interpreter: walks the opcodes of protocols 0-5 and keeps a symbolic stack and
 * memo (strings, ints, tuples, dicts, globals and objects built from them) so that it can name
 * every global, including STACK_GLOBAL's computed ones, without importing or calling anything.
 * Anything it cannot follow exactly is a PickleParseError: the scanner fails closed on it.
 */

/** A value on the symbolic stack. Containers are mutable, as in the real unpickler (memo aliasing). */
export type PValue =
  | { t: 'mark' }
  | { t: 'str'; v: string }
  | { t: 'int'; v: bigint }
  | { t: 'bool'; v: boolean }
  | { t: 'none' }
  | { t: 'tuple'; items: PValue[] }
  | { t: 'list'; items: PValue[] }
  | { t: 'dict'; entries: [PValue, PValue][] }
  | { t: 'global'; module: string; name: string }
  | { t: 'obj'; cls: PValue; args: PValue | null; state: PValue | null }
  | { t: 'other' };

/** A global the pickle imports, where it was found. */
export interface FoundGlobal {
  module: string;
  name: string;
  /** Byte offset of the opcode in the (decompressed) stream. */
  offset: number;
  /** 0 for the outer pickle, 1+ inside nested pickles (joblib object arrays). */
  depth: number;
}

/** Bytes the scanner cannot follow exactly; `offset` is where it stopped. */
export class PickleParseError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} (at byte ${offset})`);
  }
}

/** Called after every BUILD; returns where parsing continues (joblib's inline arrays follow BUILD). */
export type BuildHook = (target: PValue, pos: number, frameOpen: boolean, depth: number) => number;

const OTHER: PValue = { t: 'other' };
const MARK: PValue = { t: 'mark' };
const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Interprets one pickle starting at `start` up to its STOP; returns the offset after STOP.
 * Every global goes to `globals`.
 */
export function runPickle(buf: Uint8Array, start: number, globals: FoundGlobal[], depth: number, onBuild?: BuildHook): number {
  const stack: PValue[] = [];
  const memo = new Map<number, PValue>();
  let pos = start;
  let frameEnd = -1;

  const need = (n: number, at: number): void => {
    if (at + n > buf.length) throw new PickleParseError(`truncated: ${n} more bytes needed, the file ends at byte ${buf.length}`, at);
    // Reads never straddle a frame boundary in a well-formed pickle; the unpickler rejects them too.
    if (frameEnd >= 0 && at < frameEnd && at + n > frameEnd) throw new PickleParseError('an opcode runs past the end of its frame', at);
  };
  const take = (n: number): Uint8Array => {
    need(n, pos);
    const out = buf.subarray(pos, pos + n);
    pos += n;
    return out;
  };
  const uint = (n: 1 | 2 | 4 | 8): number => {
    const b = take(n);
    let v = 0;
    for (let i = n - 1; i >= 0; i--) v = v * 256 + b[i]!;
    if (!Number.isSafeInteger(v)) throw new PickleParseError('length too large', pos - n);
    return v;
  };
  const line = (): string => {
    const nl = buf.indexOf(0x0a, pos);
    if (nl < 0) throw new PickleParseError('truncated: a text argument has no end of line', pos);
    const out = latin1.decode(buf.subarray(pos, nl));
    need(nl + 1 - pos, pos);
    pos = nl + 1;
    return out;
  };
  const pop = (at: number): PValue => {
    const v = stack.pop();
    if (v === undefined || v.t === 'mark') throw new PickleParseError('stack underflow: the pickle is malformed', at);
    return v;
  };
  const popMark = (at: number): PValue[] => {
    for (let i = stack.length - 1; i >= 0; i--) {
      if (stack[i]!.t === 'mark') return stack.splice(i).slice(1);
    }
    throw new PickleParseError('no MARK on the stack: the pickle is malformed', at);
  };
  const top = (at: number): PValue => {
    const v = stack[stack.length - 1];
    if (v === undefined || v.t === 'mark') throw new PickleParseError('stack underflow: the pickle is malformed', at);
    return v;
  };
  const global = (module: string, name: string, at: number): PValue => {
    globals.push({ module, name, offset: at, depth });
    return { t: 'global', module, name };
  };
  const str = (bytes: Uint8Array, at: number): PValue => {
    try {
      return { t: 'str', v: utf8.decode(bytes) };
    } catch {
      throw new PickleParseError('invalid UTF-8 in a string', at);
    }
  };
  const memoGet = (index: number, at: number): PValue => {
    const v = memo.get(index);
    if (v === undefined) throw new PickleParseError(`memo entry ${index} was never stored`, at);
    return v;
  };

  for (;;) {
    if (frameEnd >= 0 && pos >= frameEnd) frameEnd = -1;
    const at = pos;
    need(1, at);
    const op = buf[pos++]!;
    switch (op) {
      case 0x80: {
        // PROTO
        const version = uint(1);
        if (version > 5) throw new PickleParseError(`pickle protocol ${version} is newer than 5`, at);
        break;
      }
      case 0x95: {
        // FRAME
        if (frameEnd >= 0) throw new PickleParseError('a new frame starts before the current one ends', at);
        const length = uint(8);
        frameEnd = pos + length;
        break;
      }
      case 0x2e: // STOP
        if (stack.length !== 1) throw new PickleParseError(`STOP with ${stack.length} values on the stack`, at);
        return pos;
      case 0x28:
        stack.push(MARK);
        break; // MARK
      case 0x30:
        pop(at);
        break; // POP
      case 0x31:
        popMark(at);
        break; // POP_MARK
      case 0x32:
        stack.push(top(at));
        break; // DUP
      case 0x4e:
        stack.push({ t: 'none' });
        break; // NONE
      case 0x88:
        stack.push({ t: 'bool', v: true });
        break; // NEWTRUE
      case 0x89:
        stack.push({ t: 'bool', v: false });
        break; // NEWFALSE
      case 0x49: {
        // INT (text; 00/01 are False/True)
        const l = line().trim();
        if (l === '00' || l === '01') stack.push({ t: 'bool', v: l === '01' });
        else stack.push(intFromText(l, at));
        break;
      }
      case 0x4c:
        stack.push(intFromText(line().trim().replace(/L$/, ''), at));
        break; // LONG
      case 0x4a: {
        // BININT
        const b = take(4);
        stack.push({ t: 'int', v: BigInt(new DataView(b.buffer, b.byteOffset, 4).getInt32(0, true)) });
        break;
      }
      case 0x4b:
        stack.push({ t: 'int', v: BigInt(uint(1)) });
        break; // BININT1
      case 0x4d:
        stack.push({ t: 'int', v: BigInt(uint(2)) });
        break; // BININT2
      case 0x8a:
        stack.push({ t: 'int', v: longBytes(take(uint(1))) });
        break; // LONG1
      case 0x8b:
        stack.push({ t: 'int', v: longBytes(take(uint(4))) });
        break; // LONG4
      case 0x46:
        line();
        stack.push(OTHER);
        break; // FLOAT
      case 0x47:
        take(8);
        stack.push(OTHER);
        break; // BINFLOAT
      case 0x53:
        stack.push({
          t: 'str',
          v: line()
            .trim()
            .replace(/^(['"])(.*)\1$/, '$2'),
        });
        break; // STRING
      case 0x54:
        stack.push({ t: 'str', v: latin1.decode(take(uint(4))) });
        break; // BINSTRING
      case 0x55:
        stack.push({ t: 'str', v: latin1.decode(take(uint(1))) });
        break; // SHORT_BINSTRING
      case 0x56:
        stack.push({ t: 'str', v: rawUnicodeEscape(line()) });
        break; // UNICODE
      case 0x58:
        stack.push(str(take(uint(4)), at));
        break; // BINUNICODE
      case 0x8c:
        stack.push(str(take(uint(1)), at));
        break; // SHORT_BINUNICODE
      case 0x8d:
        stack.push(str(take(uint(8)), at));
        break; // BINUNICODE8
      case 0x42:
        take(uint(4));
        stack.push(OTHER);
        break; // BINBYTES
      case 0x43:
        take(uint(1));
        stack.push(OTHER);
        break; // SHORT_BINBYTES
      case 0x8e:
        take(uint(8));
        stack.push(OTHER);
        break; // BINBYTES8
      case 0x96:
        take(uint(8));
        stack.push(OTHER);
        break; // BYTEARRAY8
      case 0x29:
        stack.push({ t: 'tuple', items: [] });
        break; // EMPTY_TUPLE
      case 0x5d:
        stack.push({ t: 'list', items: [] });
        break; // EMPTY_LIST
      case 0x7d:
        stack.push({ t: 'dict', entries: [] });
        break; // EMPTY_DICT
      case 0x8f:
        stack.push({ t: 'list', items: [] });
        break; // EMPTY_SET (kept as a list)
      case 0x74:
        stack.push({ t: 'tuple', items: popMark(at) });
        break; // TUPLE
      case 0x85:
      case 0x86:
      case 0x87: {
        // TUPLE1..3
        const n = op - 0x84;
        const items: PValue[] = [];
        for (let i = 0; i < n; i++) items.unshift(pop(at));
        stack.push({ t: 'tuple', items });
        break;
      }
      case 0x6c:
        stack.push({ t: 'list', items: popMark(at) });
        break; // LIST
      case 0x91:
        stack.push({ t: 'list', items: popMark(at) });
        break; // FROZENSET
      case 0x64:
        stack.push({ t: 'dict', entries: pairs(popMark(at), at) });
        break; // DICT
      case 0x61: {
        // APPEND
        const v = pop(at);
        appendTo(top(at), [v]);
        break;
      }
      case 0x65:
      case 0x90: {
        // APPENDS, ADDITEMS
        const items = popMark(at);
        appendTo(top(at), items);
        break;
      }
      case 0x73: {
        // SETITEM
        const v = pop(at);
        const k = pop(at);
        setItems(top(at), [[k, v]]);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark(at);
        setItems(top(at), pairs(items, at));
        break;
      }
      case 0x63: {
        // GLOBAL
        const module = line();
        stack.push(global(module, line(), at));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop(at);
        const module = pop(at);
        if (module.t !== 'str' || name.t !== 'str')
          throw new PickleParseError('STACK_GLOBAL whose module or name is not a plain string: cannot name the global statically', at);
        stack.push(global(module.v, name.v, at));
        break;
      }
      case 0x69: {
        // INST: module and name as text lines, arguments since MARK
        const module = line();
        const cls = global(module, line(), at);
        stack.push({ t: 'obj', cls, args: { t: 'tuple', items: popMark(at) }, state: null });
        break;
      }
      case 0x6f: {
        // OBJ: class and arguments since MARK
        const items = popMark(at);
        const cls = items.shift();
        if (cls === undefined) throw new PickleParseError('OBJ without a class', at);
        stack.push({ t: 'obj', cls, args: { t: 'tuple', items }, state: null });
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop(at);
        const callable = pop(at);
        stack.push(reduced(callable, args));
        break;
      }
      case 0x81: {
        // NEWOBJ
        const args = pop(at);
        stack.push({ t: 'obj', cls: pop(at), args, state: null });
        break;
      }
      case 0x92: {
        // NEWOBJ_EX
        pop(at);
        const args = pop(at);
        stack.push({ t: 'obj', cls: pop(at), args, state: null });
        break;
      }
      case 0x62: {
        // BUILD
        const state = pop(at);
        const target = top(at);
        if (target.t === 'obj') target.state = state;
        if (onBuild) {
          pos = onBuild(target, pos, frameEnd >= 0 && pos < frameEnd, depth);
          if (frameEnd >= 0 && pos >= frameEnd) frameEnd = -1;
        }
        break;
      }
      case 0x70:
        memo.set(Number(intFromText(line().trim(), at).v), top(at));
        break; // PUT
      case 0x71:
        memo.set(uint(1), top(at));
        break; // BINPUT
      case 0x72:
        memo.set(uint(4), top(at));
        break; // LONG_BINPUT
      case 0x94:
        memo.set(memo.size, top(at));
        break; // MEMOIZE
      case 0x67:
        stack.push(memoGet(Number(intFromText(line().trim(), at).v), at));
        break; // GET
      case 0x68:
        stack.push(memoGet(uint(1), at));
        break; // BINGET
      case 0x6a:
        stack.push(memoGet(uint(4), at));
        break; // LONG_BINGET
      case 0x82:
      case 0x83:
      case 0x84: // EXT1, EXT2, EXT4
        throw new PickleParseError('an extension-registry code (EXT1/2/4) names a global that cannot be resolved statically', at);
      case 0x50:
      case 0x51: // PERSID, BINPERSID
        throw new PickleParseError('a persistent id: the object comes from outside the pickle', at);
      case 0x97:
      case 0x98: // NEXT_BUFFER, READONLY_BUFFER
        throw new PickleParseError('out-of-band buffers (protocol 5) are not part of the file', at);
      default:
        throw new PickleParseError(`unknown opcode 0x${op.toString(16).padStart(2, '0')}`, at);
    }
  }
}

/** The object a REDUCE builds: `cls(*args)`, or the class named inside copyreg._reconstructor's arguments. */
function reduced(callable: PValue, args: PValue): PValue {
  if (callable.t === 'global' && /^copy_?reg$/.test(callable.module) && callable.name === '_reconstructor' && args.t === 'tuple' && args.items[0]) {
    return { t: 'obj', cls: args.items[0], args, state: null };
  }
  return { t: 'obj', cls: callable, args, state: null };
}

function pairs(items: PValue[], at: number): [PValue, PValue][] {
  if (items.length % 2 !== 0) throw new PickleParseError('an odd number of items for a dict', at);
  const out: [PValue, PValue][] = [];
  for (let i = 0; i < items.length; i += 2) out.push([items[i]!, items[i + 1]!]);
  return out;
}

function appendTo(target: PValue, items: PValue[]): void {
  // Lists are kept only to resolve values; anything else (a custom `append`) just absorbs them.
  if (target.t === 'list') target.items.push(...items);
}

function setItems(target: PValue, entries: [PValue, PValue][]): void {
  if (target.t === 'dict') target.entries.push(...entries);
}

function intFromText(textValue: string, at: number): { t: 'int'; v: bigint } {
  if (!/^[-+]?\d+$/.test(textValue)) throw new PickleParseError(`not an integer: ${JSON.stringify(textValue.slice(0, 40))}`, at);
  return { t: 'int', v: BigInt(textValue) };
}

/** Little-endian two's complement, as LONG1/LONG4 store ints. */
function longBytes(bytes: Uint8Array): bigint {
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
  if (bytes.length > 0 && bytes[bytes.length - 1]! & 0x80) v -= 1n << BigInt(8 * bytes.length);
  return v;
}

function rawUnicodeEscape(value: string): string {
  return value.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_, a: string | undefined, b: string | undefined) =>
    String.fromCodePoint(parseInt(a ?? b ?? '0', 16)),
  );
}

/** Looks up a string key of a symbolic dict. */
export function dictGet(value: PValue | null, key: string): PValue | undefined {
  if (value === null || value.t !== 'dict') return undefined;
  return value.entries.find(([k]) => k.t === 'str' && k.v === key)?.[1];
}
