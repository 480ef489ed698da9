import { ProtobufWriter } from './protobufWriter';

/** ONNX element types this project writes (TensorProto.DataType). */
export const OnnxType = { float: 1, uint8: 2, int64: 7 } as const;

/** An ONNX element type. */
export type OnnxElementType = (typeof OnnxType)[keyof typeof OnnxType];

/** An attribute value: an integer, a float, or a list of integers. */
export type OnnxAttribute = number | { readonly float: number } | readonly number[];

/** A graph input or output: its name, element type and dimensions (a string names a free dimension). */
export interface OnnxValueInfo {
  readonly name: string;
  readonly type: OnnxElementType;
  readonly dims: readonly (number | string)[];
}

/** The opset the exported graphs are written for (Split takes its sizes as an input from 13 on). */
const OPSET = 17;
/** ONNX IR version 8 goes with opsets up to 17. */
const IR_VERSION = 8;

/**
 * Builds an ONNX graph node by node and encodes it as a model (onnx.proto's ModelProto), for a
 * runtime to load from memory. Names of intermediate values are generated; constants are initialisers.
 */
export class OnnxGraph {
  private readonly nodes: ProtobufWriter[] = [];
  private readonly initializers: ProtobufWriter[] = [];
  private readonly inputs: OnnxValueInfo[] = [];
  private readonly outputs: OnnxValueInfo[] = [];
  private readonly domains = new Set<string>();
  private nextId = 0;

  /** Declares a graph input. */
  input(info: OnnxValueInfo): string {
    this.inputs.push(info);
    return info.name;
  }

  /** Declares `value` a graph output named `name` (through an Identity). */
  output(value: string, info: OnnxValueInfo): void {
    this.node('Identity', [value], {}, [info.name]);
    this.outputs.push(info);
  }

  /** A float32 constant of `dims`. */
  floats(values: Float32Array, dims: readonly number[]): string {
    return this.constant(OnnxType.float, new Uint8Array(values.buffer, values.byteOffset, values.byteLength), dims);
  }

  /** An int64 constant (a 1-D list unless `dims` says otherwise). */
  int64s(values: readonly number[], dims: readonly number[] = [values.length]): string {
    const data = new BigInt64Array(values.map((value) => BigInt(value)));
    return this.constant(OnnxType.int64, new Uint8Array(data.buffer), dims);
  }

  /** Adds a node of operator `op`; returns its outputs' names (`outputCount` of them). */
  node(op: string, inputs: readonly string[], attributes: Readonly<Record<string, OnnxAttribute>> = {}, outputs: readonly string[] | number = 1): string[] {
    return this.domainNode('', op, inputs, attributes, outputs);
  }

  /**
   * Adds a node of operator `op` of `domain` (version 1 of a domain other than ONNX's own, e.g. ONNX
   * Runtime's `com.microsoft.nchwc`; '' is ONNX's); returns its outputs' names.
   */
  domainNode(domain: string, op: string, inputs: readonly string[], attributes: Readonly<Record<string, OnnxAttribute>> = {}, outputs: readonly string[] | number = 1): string[] {
    const names = typeof outputs === 'number' ? Array.from({ length: outputs }, () => this.freshName(op)) : [...outputs];
    const node = new ProtobufWriter();
    inputs.forEach((input) => node.string(1, input));
    names.forEach((output) => node.string(2, output));
    node.string(3, this.freshName(`${op}_node`));
    node.string(4, op);
    for (const [name, value] of Object.entries(attributes)) {
      node.message(5, encodeAttribute(name, value));
    }
    if (domain) {
      node.string(7, domain);
      this.domains.add(domain);
    }
    this.nodes.push(node);
    return names;
  }

  /** The graph as an encoded ModelProto. */
  toModel(name: string): Uint8Array {
    const graph = new ProtobufWriter();
    this.nodes.forEach((node) => graph.message(1, node));
    graph.string(2, name);
    this.initializers.forEach((tensor) => graph.message(5, tensor));
    this.inputs.forEach((info) => graph.message(11, encodeValueInfo(info)));
    this.outputs.forEach((info) => graph.message(12, encodeValueInfo(info)));
    const model = new ProtobufWriter().int(1, IR_VERSION).string(2, 'outlier-lens').message(7, graph);
    model.message(8, new ProtobufWriter().string(1, '').int(2, OPSET));
    this.domains.forEach((domain) => model.message(8, new ProtobufWriter().string(1, domain).int(2, 1)));
    return model.finish();
  }

  private constant(type: OnnxElementType, bytes: Uint8Array, dims: readonly number[]): string {
    const name = this.freshName('const');
    this.initializers.push(new ProtobufWriter().packedInts(1, dims).int(2, type).string(8, name).bytes(9, bytes));
    return name;
  }

  private freshName(prefix: string): string {
    return `${prefix}_${this.nextId++}`;
  }
}

/** AttributeProto: FLOAT = 1, INT = 2, INTS = 7. */
function encodeAttribute(name: string, value: OnnxAttribute): ProtobufWriter {
  const attribute = new ProtobufWriter().string(1, name);
  if (typeof value === 'number') {
    return attribute.int(3, value).int(20, 2);
  }
  if ('float' in value) {
    return attribute.float(2, value.float).int(20, 1);
  }
  (value as readonly number[]).forEach((item) => attribute.int(8, item));
  return attribute.int(20, 7);
}

/** ValueInfoProto with a tensor type (TypeProto.Tensor) and its shape. */
function encodeValueInfo(info: OnnxValueInfo): ProtobufWriter {
  const shape = new ProtobufWriter();
  for (const dim of info.dims) {
    shape.message(1, typeof dim === 'number' ? new ProtobufWriter().int(1, dim) : new ProtobufWriter().string(2, dim));
  }
  const tensorType = new ProtobufWriter().int(1, info.type).message(2, shape);
  return new ProtobufWriter().string(1, info.name).message(2, new ProtobufWriter().message(1, tensorType));
}
