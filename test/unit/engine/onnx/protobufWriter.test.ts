import * as assert from 'node:assert/strict';
import { ProtobufWriter } from '../../../../src/engine/onnx/protobufWriter';

describe('ProtobufWriter (the wire format of ONNX models)', () => {
  it('writes varints as the protobuf encoding guide does (150 → 08 96 01, 300 → AC 02)', () => {
    assert.deepEqual([...new ProtobufWriter().int(1, 150).finish()], [0x08, 0x96, 0x01]);
    assert.deepEqual([...new ProtobufWriter().int(2, 300).finish()], [0x10, 0xac, 0x02]);
  });

  it('writes a negative integer as ten bytes of two’s complement', () => {
    assert.deepEqual([...new ProtobufWriter().int(1, -1).finish()], [0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
  });

  it('writes strings, nested messages, packed integers and little-endian floats with their lengths', () => {
    const nested = new ProtobufWriter().string(2, 'testing');
    assert.deepEqual([...nested.finish()], [0x12, 0x07, ...Buffer.from('testing')]);
    assert.deepEqual([...new ProtobufWriter().message(3, nested).finish()], [0x1a, 0x09, 0x12, 0x07, ...Buffer.from('testing')]);
    assert.deepEqual([...new ProtobufWriter().packedInts(4, [3, 270, 86942]).finish()], [0x22, 0x06, 0x03, 0x8e, 0x02, 0x9e, 0xa7, 0x05]);
    assert.deepEqual([...new ProtobufWriter().float(5, 1).finish()], [0x2d, 0x00, 0x00, 0x80, 0x3f]);
  });

  it('refuses integers it cannot write exactly', () => {
    assert.throws(() => new ProtobufWriter().int(1, 0.5), /safe integers, got 0.5/);
    assert.throws(() => new ProtobufWriter().int(1, 2 ** 60), /safe integers/);
  });
});
