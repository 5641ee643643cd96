/**
 * Records what a TensorFlow.js forward pass does and writes it as an ONNX graph.
 *
 * Every op of tfjs ends in `engine.runKernel(name, inputs, attrs)`; the tracer wraps that
 * method while the caller runs the real model code (face-api's own forwardInput, the graph
 * model's execute, the layers head), so the exported graph is the very computation the TF.js
 * path performs, with the weights it holds. A kernel whose inputs all come from weights (or
 * from other such kernels) is folded into a constant; a kernel that touches the traced input
 * becomes ONNX nodes. tfjs is NHWC and ONNX convolutions are NCHW: 4-D values stay NCHW
 * between layout-neutral ops, and a transpose back is inserted only where an op needs NHWC.
 */
import * as tf from '@tensorflow/tfjs';
import { DT, encodeModel, floatTensor, int64Tensor, type AttrValue, type DataType, type NodeProto, type TensorProto, type ValueInfo } from './onnx-proto.ts';

interface Val {
  name: string;
  /** The tfjs (NHWC) shape seen while tracing. */
  shape: number[];
  dtype: DataType;
  /** Rank-4 value held as NCHW in the graph. */
  nchw: boolean;
}

type KernelInputs = Record<string, tf.Tensor | undefined> | tf.Tensor[];
type Attrs = Record<string, unknown>;

const TO_NCHW = [0, 3, 1, 2];
const TO_NHWC = [0, 2, 3, 1];
/** NHWC axis → NCHW axis. */
const AXIS_NCHW = [0, 2, 3, 1];
const INT64_MAX = 2 ** 62;

function dtypeOf(t: tf.Tensor): DataType {
  if (t.dtype === 'float32') return DT.FLOAT;
  if (t.dtype === 'int32') return DT.INT32;
  throw new Error(`tensor dtype ${t.dtype} is not supported by the exporter`);
}

function strides2(v: unknown): [number, number] {
  if (typeof v === 'number') return [v, v];
  const a = v as number[];
  return a.length === 4 ? [a[1]!, a[2]!] : [a[0]!, a[1] ?? a[0]!];
}

/** TF's padding rule as explicit [top, left, bottom, right]. */
function tfPads(inH: number, inW: number, kh: number, kw: number, s: [number, number], d: [number, number], pad: unknown): number[] {
  if (pad === 'valid') return [0, 0, 0, 0];
  if (typeof pad === 'number') return [pad, pad, pad, pad];
  if (Array.isArray(pad)) {
    const p = pad as number[][];
    return [p[1]![0]!, p[2]![0]!, p[1]![1]!, p[2]![1]!];
  }
  if (pad !== 'same') throw new Error(`padding ${String(pad)} is not supported`);
  const one = (n: number, k: number, st: number, dl: number): [number, number] => {
    const ek = (k - 1) * dl + 1;
    const out = Math.ceil(n / st);
    const total = Math.max((out - 1) * st + ek - n, 0);
    return [Math.floor(total / 2), total - Math.floor(total / 2)];
  };
  const [t, b] = one(inH, kh, s[0], d[0]);
  const [l, r] = one(inW, kw, s[1], d[1]);
  return [t, l, b, r];
}

export function transposeData(data: ArrayLike<number>, shape: number[], perm: number[]): { data: Float32Array; shape: number[] } {
  const outShape = perm.map((p) => shape[p]!);
  const rank = shape.length;
  const inStrides = new Array<number>(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--) inStrides[i] = inStrides[i + 1]! * shape[i + 1]!;
  const out = new Float32Array(data.length);
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let k = 0; k < rank; k++) src += idx[k]! * inStrides[perm[k]!]!;
    out[o] = data[src]!;
    for (let k = rank - 1; k >= 0; k--) {
      if (++idx[k]! < outShape[k]!) break;
      idx[k] = 0;
    }
  }
  return { data: out, shape: outShape };
}

/** The distinct values of `values` and each one's index, when there are at most 256 of them. */
function valueTable(values: ArrayLike<number>): { values: Float32Array; indices: Uint8Array } | null {
  const f = Float32Array.from(values as ArrayLike<number>);
  const bits = new Uint32Array(f.buffer);
  const index = new Map<number, number>();
  const indices = new Uint8Array(f.length);
  for (let i = 0; i < bits.length; i++) {
    let k = index.get(bits[i]!);
    if (k === undefined) {
      if (index.size === 256) return null;
      k = index.size;
      index.set(bits[i]!, k);
    }
    indices[i] = k;
  }
  const table = new Float32Array(new Uint32Array([...index.keys()]).buffer);
  return { values: table, indices };
}

export class TfjsOnnxTracer {
  private readonly nodes: NodeProto[] = [];
  private readonly inits: TensorProto[] = [];
  private readonly dyn = new Map<number, Val>();
  private readonly constNames = new Map<string, string>();
  private readonly layoutCache = new Map<string, string>();
  private readonly graphInputs: ValueInfo[] = [];
  private readonly graphOutputs: ValueInfo[] = [];
  private counter = 0;
  private depth = 0;
  readonly kernelsSeen = new Map<string, number>();

  private fresh(prefix: string): string {
    return `${prefix}_${this.counter++}`;
  }

  private node(op: string, inputs: string[], attrs: Record<string, AttrValue> = {}, outputs = 1): string[] {
    const outs = Array.from({ length: outputs }, () => this.fresh(op.toLowerCase()));
    this.nodes.push({ op, name: this.fresh(`n_${op}`), inputs, outputs: outs, attrs });
    return outs;
  }

  private init(t: Omit<TensorProto, 'name'>, prefix = 'c'): string {
    const name = this.fresh(prefix);
    this.inits.push({ ...t, name });
    return name;
  }

  private floatConst(dims: number[], values: ArrayLike<number>): string {
    const table = values.length >= 1024 ? valueTable(values) : null;
    if (!table) return this.init(floatTensor('', dims, values));
    // Weights shipped 8-bit quantised (face-api's) take at most 256 distinct values: store one
    // byte per weight and the table, and let ONNX Runtime fold the lookup at load time. The
    // floats it rebuilds are the very ones TF.js holds, bit for bit.
    const tableName = this.floatConst([table.values.length], table.values);
    const idx = this.init({ dims, dataType: DT.UINT8, raw: table.indices }, 'q');
    const idx32 = this.node('Cast', [idx], { to: { i: DT.INT32 } })[0]!;
    return this.node('Gather', [tableName, idx32], { axis: { i: 0 } })[0]!;
  }

  private int64Const(values: number[], dims = [values.length]): string {
    return this.init(int64Tensor('', dims, values));
  }

  /** Value of a non-traced tensor, optionally reshaped/transposed first. */
  private constOf(t: tf.Tensor, layout: 'as-is' | 'nchw4' = 'as-is'): string {
    const key = `${t.id}:${layout}`;
    const hit = this.constNames.get(key);
    if (hit) return hit;
    let shape = t.shape.slice();
    let data = t.dataSync() as ArrayLike<number>;
    if (layout === 'nchw4') {
      while (shape.length < 4) shape.unshift(1);
      ({ data, shape } = transposeData(data, shape, TO_NCHW));
    }
    const dt = dtypeOf(t);
    const name =
      dt === DT.FLOAT
        ? this.floatConst(shape, data)
        : this.init({ dims: shape, dataType: DT.INT32, raw: new Uint8Array(Int32Array.from(data as ArrayLike<number>).buffer) });
    this.constNames.set(key, name);
    return name;
  }

  private nhwc(v: Val): string {
    if (!v.nchw) return v.name;
    const key = `${v.name}:nhwc`;
    let n = this.layoutCache.get(key);
    if (!n) {
      n = this.node('Transpose', [v.name], { perm: { ints: TO_NHWC } })[0]!;
      this.layoutCache.set(key, n);
    }
    return n;
  }

  private nchw(v: Val): string {
    if (v.nchw) return v.name;
    if (v.shape.length !== 4) throw new Error(`NCHW wanted for a rank-${v.shape.length} value`);
    const key = `${v.name}:nchw`;
    let n = this.layoutCache.get(key);
    if (!n) {
      n = this.node('Transpose', [v.name], { perm: { ints: TO_NCHW } })[0]!;
      this.layoutCache.set(key, n);
    }
    return n;
  }

  /**
   * Declares `t` as a graph input; `shape` may name dynamic dimensions. With `fromUint8` the
   * graph takes bytes and casts them (a quarter of the data to copy in for an image).
   */
  input(t: tf.Tensor, name: string, shape: (number | string)[] = t.shape, fromUint8 = false): void {
    let inner = name;
    if (fromUint8) {
      inner = `${name}_f32`;
      this.nodes.push({ op: 'Cast', name: this.fresh('n_in'), inputs: [name], outputs: [inner], attrs: { to: { i: DT.FLOAT } } });
    }
    this.dyn.set(t.id, { name: inner, shape: t.shape.slice(), dtype: dtypeOf(t), nchw: false });
    this.graphInputs.push({ name, dataType: fromUint8 ? DT.UINT8 : dtypeOf(t), shape });
  }

  output(t: tf.Tensor, name: string): void {
    const v = this.dyn.get(t.id);
    if (!v) throw new Error(`output ${name} does not depend on the input`);
    this.nodes.push({ op: 'Identity', name: this.fresh('n_out'), inputs: [this.nhwc(v)], outputs: [name] });
    this.graphOutputs.push({ name, dataType: v.dtype, shape: t.shape });
  }

  /** Runs `fn` with every kernel call recorded. */
  async trace<T>(fn: () => Promise<T> | T): Promise<T> {
    const engine = tf.engine() as unknown as { runKernel: (name: string, inputs: KernelInputs, attrs: Attrs) => tf.Tensor | tf.Tensor[] };
    const original = engine.runKernel;
    engine.runKernel = (name: string, inputs: KernelInputs, attrs: Attrs) => {
      if (this.depth > 0) return original.call(engine, name, inputs, attrs);
      this.depth++;
      let out: tf.Tensor | tf.Tensor[];
      try {
        out = original.call(engine, name, inputs, attrs);
      } finally {
        this.depth--;
      }
      const list = Array.isArray(inputs) ? inputs : Object.values(inputs).filter((x): x is tf.Tensor => x !== undefined && x !== null);
      if (list.some((t) => this.dyn.has(t.id))) {
        this.kernelsSeen.set(name, (this.kernelsSeen.get(name) ?? 0) + 1);
        this.convert(name, inputs, attrs ?? {}, Array.isArray(out) ? out : [out]);
      }
      return out;
    };
    try {
      return await fn();
    } finally {
      engine.runKernel = original;
    }
  }

  private setOut(t: tf.Tensor, name: string, nchw: boolean): void {
    this.dyn.set(t.id, { name, shape: t.shape.slice(), dtype: dtypeOf(t), nchw: nchw && t.shape.length === 4 });
  }

  private val(t: tf.Tensor | undefined): Val | undefined {
    return t ? this.dyn.get(t.id) : undefined;
  }

  private need(t: tf.Tensor | undefined, what: string): Val {
    const v = this.val(t);
    if (!v) throw new Error(`${what}: expected a traced value`);
    return v;
  }

  private activation(x: string, act: unknown, attrs: Attrs, prelu: tf.Tensor | undefined): string {
    switch (act ?? 'linear') {
      case 'linear':
        return x;
      case 'relu':
        return this.node('Relu', [x])[0]!;
      case 'relu6':
        return this.node('Clip', [x, this.floatConst([], [0]), this.floatConst([], [6])])[0]!;
      case 'sigmoid':
        return this.node('Sigmoid', [x])[0]!;
      case 'elu':
        return this.node('Elu', [x])[0]!;
      case 'leakyrelu':
        return this.node('LeakyRelu', [x], { alpha: { f: Number(attrs.leakyreluAlpha ?? 0.2) } })[0]!;
      case 'prelu':
        if (!prelu) throw new Error('prelu without weights');
        return this.node('PRelu', [x, this.constOf(prelu, 'nchw4')])[0]!;
      default:
        throw new Error(`activation ${String(act)} is not supported`);
    }
  }

  private conv(inputs: Record<string, tf.Tensor | undefined>, attrs: Attrs, out: tf.Tensor, depthwise: boolean): void {
    const x = this.need(inputs.x, 'conv input');
    const filter = inputs.filter!;
    if (this.dyn.has(filter.id)) throw new Error('conv with a traced filter');
    if (attrs.dataFormat !== undefined && attrs.dataFormat !== 'NHWC' && attrs.dataFormat !== 'channelsLast') throw new Error(`conv dataFormat ${String(attrs.dataFormat)}`);
    const [, inH, inW] = x.shape as [number, number, number, number];
    const [kh, kw, ci, co] = filter.shape as [number, number, number, number];
    const s = strides2(attrs.strides);
    const d = strides2(attrs.dilations ?? 1);
    const pads = tfPads(inH, inW, kh, kw, s, d, attrs.pad);
    const f = filter.dataSync();
    let w: { data: Float32Array; shape: number[] };
    if (depthwise) {
      // [kh, kw, C, M] → [C·M, 1, kh, kw]
      const t = transposeData(f, [kh, kw, ci, co], [2, 3, 0, 1]);
      w = { data: t.data, shape: [ci * co, 1, kh, kw] };
    } else {
      w = transposeData(f, [kh, kw, ci, co], [3, 2, 0, 1]);
    }
    const ins = [this.nchw(x), this.floatConst(w.shape, w.data)];
    const bias = inputs.bias;
    if (bias) {
      if (this.dyn.has(bias.id)) throw new Error('conv with a traced bias');
      ins.push(this.constOf(bias));
    }
    const [y] = this.node('Conv', ins, {
      kernel_shape: { ints: [kh, kw] },
      strides: { ints: s },
      dilations: { ints: d },
      pads: { ints: pads },
      group: { i: depthwise ? ci : 1 },
    });
    this.setOut(out, this.activation(y!, attrs.activation, attrs, inputs.preluActivationWeights), true);
  }

  private binary(op: string, a: tf.Tensor, b: tf.Tensor, out: tf.Tensor): void {
    const operands = [a, b];
    const dyns = operands.map((t) => this.val(t)).filter((v): v is Val => !!v);
    const useNchw = out.shape.length === 4 && dyns.every((v) => v.shape.length === 4) && dyns.some((v) => v.nchw);
    const names = operands.map((t) => {
      const v = this.val(t);
      if (v) return useNchw ? this.nchw(v) : this.nhwc(v);
      return this.constOf(t, useNchw ? 'nchw4' : 'as-is');
    });
    this.setOut(out, this.node(op, names)[0]!, useNchw);
  }

  private unary(op: string, x: Val, out: tf.Tensor, attrs: Record<string, AttrValue> = {}, extra: string[] = []): void {
    this.setOut(out, this.node(op, [x.name, ...extra], attrs)[0]!, x.nchw);
  }

  private convert(kernel: string, inputs: KernelInputs, attrs: Attrs, outs: tf.Tensor[]): void {
    const named = Array.isArray(inputs) ? {} : inputs;
    const out = outs[0]!;
    const x = Array.isArray(inputs) ? undefined : this.val(named.x);
    const BINARY: Record<string, string> = { Add: 'Add', Sub: 'Sub', Multiply: 'Mul', RealDiv: 'Div', Maximum: 'Max', Minimum: 'Min', Pow: 'Pow' };
    const UNARY: Record<string, string> = { Relu: 'Relu', Sigmoid: 'Sigmoid', Exp: 'Exp', Sqrt: 'Sqrt', Neg: 'Neg', Abs: 'Abs', Tanh: 'Tanh', Elu: 'Elu', Identity: 'Identity', Softplus: 'Softplus' };
    if (BINARY[kernel]) return this.binary(BINARY[kernel], named.a!, named.b!, out);
    if (UNARY[kernel]) return this.unary(UNARY[kernel], this.need(named.x, kernel), out);
    switch (kernel) {
      case 'Conv2D':
      case 'FusedConv2D':
        return this.conv(named, attrs, out, false);
      case 'DepthwiseConv2dNative':
      case 'FusedDepthwiseConv2D':
        return this.conv(named, attrs, out, true);
      case 'Relu6':
        return this.unary('Clip', this.need(named.x, kernel), out, {}, [this.floatConst([], [0]), this.floatConst([], [6])]);
      case 'ClipByValue':
        return this.unary('Clip', this.need(named.x, kernel), out, {}, [this.floatConst([], [Number(attrs.clipValueMin)]), this.floatConst([], [Number(attrs.clipValueMax)])]);
      case 'LeakyRelu':
        return this.unary('LeakyRelu', this.need(named.x, kernel), out, { alpha: { f: Number(attrs.alpha) } });
      case 'Cast': {
        const to = attrs.dtype === 'float32' ? DT.FLOAT : attrs.dtype === 'int32' ? DT.INT32 : null;
        if (to === null) throw new Error(`Cast to ${String(attrs.dtype)}`);
        return this.unary('Cast', this.need(named.x, kernel), out, { to: { i: to } });
      }
      case 'FusedBatchNorm': {
        const v = this.need(named.x, kernel);
        if (v.shape.length !== 4) throw new Error('batch norm on a non-4-D value');
        const c = v.shape[3]!;
        const vec = (t: tf.Tensor | undefined, fallback: number): string => {
          if (!t) return this.floatConst([c], new Float32Array(c).fill(fallback));
          if (t.size !== c) throw new Error('batch norm parameter is not per-channel');
          return this.floatConst([c], t.dataSync());
        };
        const y = this.node('BatchNormalization', [this.nchw(v), vec(named.scale, 1), vec(named.offset, 0), vec(named.mean, 0), vec(named.variance, 1)], {
          epsilon: { f: Number(attrs.varianceEpsilon ?? 0.001) },
        })[0]!;
        return this.setOut(out, y, true);
      }
      case 'Reshape':
        return this.setOut(out, this.node('Reshape', [this.nhwc(this.need(named.x, kernel)), this.int64Const(out.shape)])[0]!, false);
      case 'ExpandDims': {
        const v = this.need(named.input, kernel);
        let dim = Number(attrs.dim);
        if (dim < 0) dim += v.shape.length + 1;
        return this.setOut(out, this.node('Unsqueeze', [this.nhwc(v), this.int64Const([dim])])[0]!, false);
      }
      case 'Squeeze': {
        const v = this.need(named.x, kernel);
        const axes = ([] as number[]).concat((attrs.axis as number[] | number | undefined) ?? []).map((a) => (a < 0 ? a + v.shape.length : a));
        const ins = [this.nhwc(v)];
        if (axes.length) ins.push(this.int64Const(axes));
        return this.setOut(out, this.node('Squeeze', ins)[0]!, false);
      }
      case 'Transpose':
        return this.setOut(out, this.node('Transpose', [this.nhwc(this.need(named.x, kernel))], { perm: { ints: attrs.perm as number[] } })[0]!, false);
      case 'Tile':
        return this.setOut(out, this.node('Tile', [this.nhwc(this.need(named.x, kernel)), this.int64Const(attrs.reps as number[])])[0]!, false);
      case 'Slice': {
        const v = this.need(named.x, kernel);
        const begin = ([] as number[]).concat(attrs.begin as number[] | number);
        const starts = v.shape.map((_, i) => begin[i] ?? 0);
        const ends = starts.map((s0, i) => (out.shape[i] === v.shape[i] && s0 === 0 ? INT64_MAX : s0 + out.shape[i]!));
        const axes = v.shape.map((_, i) => i);
        return this.setOut(out, this.node('Slice', [this.nhwc(v), this.int64Const(starts), this.int64Const(ends), this.int64Const(axes)])[0]!, false);
      }
      case 'Pack': {
        const list = inputs as tf.Tensor[];
        const rank = list[0]!.shape.length;
        let axis = Number(attrs.axis ?? 0);
        if (axis < 0) axis += rank + 1;
        const parts = list.map((t) => {
          const v = this.val(t);
          return this.node('Unsqueeze', [v ? this.nhwc(v) : this.constOf(t), this.int64Const([axis])])[0]!;
        });
        const y = parts.length === 1 ? parts[0]! : this.node('Concat', parts, { axis: { i: axis } })[0]!;
        return this.setOut(out, y, false);
      }
      case 'Unpack': {
        const v = this.need(named.value, kernel);
        let axis = Number(attrs.axis ?? 0);
        if (axis < 0) axis += v.shape.length;
        const n = outs.length;
        const pieces = this.node('Split', [this.nhwc(v), this.int64Const(new Array<number>(n).fill(1))], { axis: { i: axis } }, n);
        pieces.forEach((p, k) => this.setOut(outs[k]!, this.node('Squeeze', [p, this.int64Const([axis])])[0]!, false));
        return;
      }
      case 'Concat': {
        const list = (inputs as tf.Tensor[]).filter((t) => t.size > 0);
        const rank = out.shape.length;
        let axis = Number(Array.isArray(attrs.axis) ? (attrs.axis as number[])[0] : attrs.axis);
        if (axis < 0) axis += rank;
        const dyns = list.map((t) => this.val(t)).filter((v): v is Val => !!v);
        const useNchw = rank === 4 && dyns.some((v) => v.nchw);
        const names = list.map((t) => {
          const v = this.val(t);
          if (v) return useNchw ? this.nchw(v) : this.nhwc(v);
          return this.constOf(t, useNchw ? 'nchw4' : 'as-is');
        });
        return this.setOut(out, this.node('Concat', names, { axis: { i: useNchw ? AXIS_NCHW[axis]! : axis } })[0]!, useNchw);
      }
      case 'ResizeBilinear':
      case 'ResizeNearestNeighbor': {
        const v = this.need(named.images, kernel);
        const [h, w] = attrs.size as [number, number];
        const mode = attrs.alignCorners ? 'align_corners' : attrs.halfPixelCenters ? (kernel === 'ResizeBilinear' ? 'half_pixel' : 'tf_half_pixel_for_nn') : 'asymmetric';
        const y = this.node('Resize', [this.nchw(v), '', '', this.int64Const([v.shape[0]!, v.shape[3]!, h, w])], {
          mode: { s: kernel === 'ResizeBilinear' ? 'linear' : 'nearest' },
          coordinate_transformation_mode: { s: mode },
          ...(kernel === 'ResizeNearestNeighbor' ? { nearest_mode: { s: attrs.alignCorners ? 'round_prefer_ceil' : 'floor' } } : {}),
        })[0]!;
        return this.setOut(out, y, true);
      }
      case 'AvgPool':
      case 'MaxPool': {
        const v = this.need(named.x, kernel);
        const [kh, kw] = strides2(attrs.filterSize);
        const s = strides2(attrs.strides);
        const pads = tfPads(v.shape[1]!, v.shape[2]!, kh, kw, s, [1, 1], attrs.pad);
        const y = this.node(kernel === 'AvgPool' ? 'AveragePool' : 'MaxPool', [this.nchw(v)], {
          kernel_shape: { ints: [kh, kw] },
          strides: { ints: s },
          pads: { ints: pads },
          ...(kernel === 'AvgPool' ? { count_include_pad: { i: 0 } } : {}),
        })[0]!;
        return this.setOut(out, y, true);
      }
      case 'Mean':
      case 'Max': {
        const v = this.need(named.x, kernel);
        const rank = v.shape.length;
        const axes = ([] as number[]).concat(attrs.axis as number[] | number).map((a) => (a < 0 ? a + rank : a));
        const keep = !!attrs.keepDims;
        const remaining = v.shape.map((_, i) => i).filter((i) => !axes.includes(i));
        // NCHW is usable when what stays keeps its order (e.g. a global pool down to [N, C]).
        const orderKept = (() => {
          const mapped = remaining.map((i) => AXIS_NCHW[i]!);
          return mapped.every((m, k) => k === 0 || m > mapped[k - 1]!);
        })();
        const useNchw = v.nchw && rank === 4 && (keep || orderKept);
        const y = this.node(kernel === 'Mean' ? 'ReduceMean' : 'ReduceMax', [useNchw ? v.name : this.nhwc(v)], {
          axes: { ints: useNchw ? axes.map((a) => AXIS_NCHW[a]!) : axes },
          keepdims: { i: keep ? 1 : 0 },
        })[0]!;
        return this.setOut(out, y, useNchw && keep);
      }
      case 'Softmax': {
        const v = this.need(named.logits, kernel);
        const dim = Number(attrs.dim ?? -1);
        return this.setOut(out, this.node('Softmax', [this.nhwc(v)], { axis: { i: dim } })[0]!, false);
      }
      case 'BatchMatMul':
      case '_FusedMatMul': {
        const a = named.a!, b = named.b!;
        const operand = (t: tf.Tensor, transpose: boolean): string => {
          const v = this.val(t);
          if (v) {
            const r = v.shape.length;
            const perm = v.shape.map((_, i) => i);
            [perm[r - 2], perm[r - 1]] = [perm[r - 1]!, perm[r - 2]!];
            return transpose ? this.node('Transpose', [this.nhwc(v)], { perm: { ints: perm } })[0]! : this.nhwc(v);
          }
          if (!transpose) return this.constOf(t);
          const r = t.shape.length;
          const perm = t.shape.map((_, i) => i);
          [perm[r - 2], perm[r - 1]] = [perm[r - 1]!, perm[r - 2]!];
          const td = transposeData(t.dataSync(), t.shape, perm);
          return this.floatConst(td.shape, td.data);
        };
        let y = this.node('MatMul', [operand(a, !!attrs.transposeA), operand(b, !!attrs.transposeB)])[0]!;
        if (named.bias) {
          const bv = this.val(named.bias);
          y = this.node('Add', [y, bv ? this.nhwc(bv) : this.constOf(named.bias)])[0]!;
        }
        return this.setOut(out, this.activation(y, attrs.activation, attrs, named.preluActivationWeights), false);
      }
      case 'PadV2': {
        const v = this.need(named.x, kernel);
        const p = attrs.paddings as [number, number][];
        const y = this.node('Pad', [this.nhwc(v), this.int64Const([...p.map((q) => q[0]), ...p.map((q) => q[1])]), this.floatConst([], [Number(attrs.constantValue ?? 0)])], { mode: { s: 'constant' } })[0]!;
        return this.setOut(out, y, false);
      }
      default:
        void x;
        throw new Error(`tfjs kernel ${kernel} has no ONNX translation in the exporter`);
    }
  }

  /** The ONNX model bytes. */
  encode(meta: { graphName: string; doc: string; metadata?: Record<string, string> }): Uint8Array {
    return encodeModel({
      irVersion: 8,
      opset: 17,
      // The exporter's old path, kept: the producer is part of the files' bytes, whose digest is
      // in the analyser id, and a rename alone must not re-analyse every catalog.
      producer: 'portrait-songs scripts/export-onnx.ts',
      graphName: meta.graphName,
      docString: meta.doc,
      nodes: this.nodes,
      initializers: this.inits,
      inputs: this.graphInputs,
      outputs: this.graphOutputs,
      metadata: meta.metadata ?? {},
    });
  }
}
