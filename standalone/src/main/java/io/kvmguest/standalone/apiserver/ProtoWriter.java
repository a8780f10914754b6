package io.kvmguest.standalone.apiserver;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** The few protobuf wire-format primitives the OpenAPI v2 document needs: strings, booleans, nested messages. */
final class ProtoWriter {
  private static final int VARINT = 0;
  private static final int LENGTH_DELIMITED = 2;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  ProtoWriter string(int field, String value) {
    return message(field, value.getBytes(StandardCharsets.UTF_8));
  }

  ProtoWriter message(int field, byte[] encoded) {
    tag(field, LENGTH_DELIMITED);
    varint(encoded.length);
    out.write(encoded, 0, encoded.length);
    return this;
  }

  ProtoWriter bool(int field, boolean value) {
    tag(field, VARINT);
    varint(value ? 1 : 0);
    return this;
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }

  private void tag(int field, int wireType) {
    varint(((long) field << 3) | wireType);
  }

  private void varint(long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }
}
