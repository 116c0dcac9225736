/** Several images in one buffer: a 4-byte big-endian length before each. */
export function packFrames(frames: readonly Uint8Array[]): Buffer {
  const parts: Buffer[] = [];
  for (const frame of frames) {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(frame.length);
    parts.push(length, Buffer.from(frame.buffer, frame.byteOffset, frame.length));
  }
  return Buffer.concat(parts);
}

export function unpackFrames(packed: Buffer): Uint8Array[] {
  const frames: Uint8Array[] = [];
  for (let offset = 0; offset < packed.length;) {
    const length = packed.readUInt32BE(offset);
    frames.push(new Uint8Array(packed.subarray(offset + 4, offset + 4 + length)));
    offset += 4 + length;
  }
  return frames;
}
