package io.kvmguest.standalone.apiserver;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reads protobuf wire format field by field; unknown fields are skipped by the caller with {@link #skip}. */
final class ProtoReader {
  private final byte[] bytes;
  private int pos;
  private final int end;
  private int tag;

  ProtoReader(byte[] bytes) {
    this(bytes, 0, bytes.length);
  }

  private ProtoReader(byte[] bytes, int from, int to) {
    this.bytes = bytes;
    this.pos = from;
    this.end = to;
  }

  /** Advances to the next field; false at the end of the message. */
  boolean next() {
    if (pos >= end) {
      return false;
    }
    tag = (int) varint();
    return true;
  }

  int field() {
    return tag >>> 3;
  }

  long varint() {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= end) {
        throw new IllegalArgumentException("truncated protobuf varint");
      }
      byte b = bytes[pos++];
      result |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
    }
    throw new IllegalArgumentException("malformed protobuf varint");
  }

  byte[] bytes() {
    int length = (int) varint();
    if (length < 0 || pos + length > end) {
      throw new IllegalArgumentException("truncated protobuf field");
    }
    byte[] value = Arrays.copyOfRange(bytes, pos, pos + length);
    pos += length;
    return value;
  }

  String string() {
    return new String(bytes(), StandardCharsets.UTF_8);
  }

  ProtoReader message() {
    return new ProtoReader(bytes());
  }

  void skip() {
    switch (tag & 7) {
      case 0 -> varint();
      case 1 -> pos += 8;
      case 2 -> bytes();
      case 5 -> pos += 4;
      default -> throw new IllegalArgumentException("unsupported protobuf wire type " + (tag & 7));
    }
  }
}
