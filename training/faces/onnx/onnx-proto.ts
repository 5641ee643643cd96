/**
 * Just enough of the ONNX protobuf schema (onnx/onnx.proto, IR version 8) to write a model
 * file: a hand-rolled protobuf encoder, so exporting needs neither Python nor a protobuf
 * package. Field numbers are those of onnx.proto; onnxruntime parses and checks the result.
 */

export const DT = { FLOAT: 1, UINT8: 2, INT32: 6, INT64: 7 } as const;
export type DataType = (typeof DT)[keyof typeof DT];

export interface TensorProto {
  name: string;
  dims: number[];
  dataType: DataType;
  /** Little-endian raw bytes of the values. */
  raw: Uint8Array;
}

export type AttrValue =
  | { f: number }
  | { i: number }
  | { s: string }
  | { t: TensorProto }
  | { floats: number[] }
  | { ints: number[] };

export interface NodeProto {
  op: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attrs?: Record<string, AttrValue>;
}

export interface ValueInfo {
  name: string;
  dataType: DataType;
  /** A number is a fixed size, a string a named dynamic one. */
  shape: (number | string)[];
}

export interface ModelProto {
  irVersion: number;
  opset: number;
  producer: string;
  graphName: string;
  docString: string;
  nodes: NodeProto[];
  initializers: TensorProto[];
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  metadata: Record<string, string>;
}

/** Growable byte buffer with protobuf wire-format writers. */
class Writer {
  private buf = new Uint8Array(1024);
  private len = 0;

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  varint(value: number | bigint): void {
    // int64 fields: negative numbers are written as 10-byte two's complement.
    let v = BigInt.asUintN(64, BigInt(value));
    this.ensure(10);
    while (v >= 0x80n) {
      this.buf[this.len++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.len++] = Number(v);
  }

  tag(field: number, wire: 0 | 2 | 5): void {
    this.varint((field << 3) | wire);
  }

  bytes(field: number, data: Uint8Array): void {
    this.tag(field, 2);
    this.varint(data.length);
    this.ensure(data.length);
    this.buf.set(data, this.len);
    this.len += data.length;
  }

  string(field: number, s: string): void {
    this.bytes(field, new TextEncoder().encode(s));
  }

  int(field: number, v: number): void {
    this.tag(field, 0);
    this.varint(v);
  }

  float(field: number, v: number): void {
    this.tag(field, 5);
    this.ensure(4);
    new DataView(this.buf.buffer).setFloat32(this.len, v, true);
    this.len += 4;
  }

  message(field: number, write: (w: Writer) => void): void {
    const inner = new Writer();
    write(inner);
    this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

function writeTensor(w: Writer, t: TensorProto): void {
  for (const d of t.dims) w.int(1, d);
  w.int(2, t.dataType);
  w.string(8, t.name);
  w.bytes(9, t.raw);
}

const ATTR_TYPE = { f: 1, i: 2, s: 3, t: 4, floats: 6, ints: 7 } as const;

function writeAttr(w: Writer, name: string, a: AttrValue): void {
  w.string(1, name);
  if ('f' in a) {
    w.float(2, a.f);
    w.int(20, ATTR_TYPE.f);
  } else if ('i' in a) {
    w.int(3, a.i);
    w.int(20, ATTR_TYPE.i);
  } else if ('s' in a) {
    w.string(4, a.s);
    w.int(20, ATTR_TYPE.s);
  } else if ('t' in a) {
    w.message(5, (m) => writeTensor(m, a.t));
    w.int(20, ATTR_TYPE.t);
  } else if ('floats' in a) {
    for (const v of a.floats) w.float(7, v);
    w.int(20, ATTR_TYPE.floats);
  } else {
    for (const v of a.ints) w.int(8, v);
    w.int(20, ATTR_TYPE.ints);
  }
}

function writeValueInfo(w: Writer, v: ValueInfo): void {
  w.string(1, v.name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, v.dataType);
      tensor.message(2, (shape) => {
        for (const d of v.shape) shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
      });
    }),
  );
}

export function encodeModel(m: ModelProto): Uint8Array {
  const w = new Writer();
  w.int(1, m.irVersion);
  w.string(2, m.producer);
  w.string(6, m.docString);
  w.message(7, (g) => {
    for (const n of m.nodes) {
      g.message(1, (nw) => {
        for (const i of n.inputs) nw.string(1, i);
        for (const o of n.outputs) nw.string(2, o);
        nw.string(3, n.name);
        nw.string(4, n.op);
        for (const [k, a] of Object.entries(n.attrs ?? {})) nw.message(5, (aw) => writeAttr(aw, k, a));
      });
    }
    g.string(2, m.graphName);
    for (const t of m.initializers) g.message(5, (tw) => writeTensor(tw, t));
    for (const v of m.inputs) g.message(11, (vw) => writeValueInfo(vw, v));
    for (const v of m.outputs) g.message(12, (vw) => writeValueInfo(vw, v));
  });
  w.message(8, (o) => {
    o.string(1, '');
    o.int(2, m.opset);
  });
  for (const [key, value] of Object.entries(m.metadata)) {
    w.message(14, (p) => {
      p.string(1, key);
      p.string(2, value);
    });
  }
  return w.finish();
}

export function floatTensor(name: string, dims: number[], values: ArrayLike<number>): TensorProto {
  const f = Float32Array.from(values as ArrayLike<number>);
  return { name, dims, dataType: DT.FLOAT, raw: new Uint8Array(f.buffer) };
}

export function int64Tensor(name: string, dims: number[], values: number[]): TensorProto {
  const b = new BigInt64Array(values.map((v) => BigInt(v)));
  return { name, dims, dataType: DT.INT64, raw: new Uint8Array(b.buffer) };
}
