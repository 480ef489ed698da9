/**
 * A minimal protocol-buffers writer: the wire format of the fields an ONNX model uses (varints,
 * length-delimited bytes, packed repeated integers, 32-bit floats). Messages are built inside out:
 * a nested message is written to its own writer and added as bytes.
 */
export class ProtobufWriter {
  private chunks: Uint8Array[] = [];
  private scratch: number[] = [];
  private length = 0;

  /** An unsigned or signed integer field (int32, int64, enum); negatives as 10-byte two's complement. */
  int(field: number, value: number): this {
    this.tag(field, 0);
    this.varint(value);
    return this;
  }

  /** A 32-bit float field. */
  float(field: number, value: number): this {
    this.tag(field, 5);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    this.flushScratch();
    this.push(bytes);
    return this;
  }

  /** A UTF-8 string field. */
  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  /** A bytes field, or a nested message's encoding. */
  bytes(field: number, value: Uint8Array): this {
    this.tag(field, 2);
    this.varint(value.length);
    this.flushScratch();
    this.push(value);
    return this;
  }

  /** A nested message field. */
  message(field: number, message: ProtobufWriter): this {
    return this.bytes(field, message.finish());
  }

  /** A packed repeated integer field. */
  packedInts(field: number, values: readonly number[]): this {
    const packed = new ProtobufWriter();
    values.forEach((value) => packed.varint(value));
    return this.bytes(field, packed.finish());
  }

  /** The encoded message. */
  finish(): Uint8Array {
    this.flushScratch();
    const result = new Uint8Array(this.length);
    let offset = 0;
    for (const chunk of this.chunks) {
      result.set(chunk, offset);
      offset += chunk.length;
    }
    return result;
  }

  private tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  private varint(value: number): void {
    if (!Number.isSafeInteger(value)) {
      throw new Error(`protobuf integers must be safe integers, got ${value}`);
    }
    let remaining = BigInt.asUintN(64, BigInt(value));
    do {
      const low = Number(remaining & 0x7fn);
      remaining >>= 7n;
      this.scratch.push(remaining > 0n ? low | 0x80 : low);
    } while (remaining > 0n);
  }

  private flushScratch(): void {
    if (this.scratch.length > 0) {
      this.push(Uint8Array.from(this.scratch));
      this.scratch = [];
    }
  }

  private push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.length += bytes.length;
  }
}
