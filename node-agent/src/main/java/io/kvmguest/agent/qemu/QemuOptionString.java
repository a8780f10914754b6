package io.kvmguest.agent.qemu;

import java.util.regex.Pattern;

/**
 * One qemu option string such as {@code virtio-blk-pci,drive=drive-root,bootindex=1}. Every value
 * goes through {@link #escape}: qemu splits option strings at single commas and reads {@code ,,} as a
 * literal comma, so doubling commas keeps a value one value. Keys are fixed by the builder.
 */
public final class QemuOptionString {
  /** qemu object ids: a letter, then letters, digits, '-', '.' or '_'. */
  private static final Pattern ID = Pattern.compile("[A-Za-z][A-Za-z0-9._-]*");

  private final StringBuilder text = new StringBuilder();

  private QemuOptionString(String head) {
    text.append(head);
  }

  /**
   * The escaped form of a value: commas doubled.
   *
   * @param field what the value is, named in the error (for example "drive root: path")
   * @throws IllegalArgumentException when the value holds a NUL, newline or carriage return: no
   *     escaping makes those safe, and they would break logs and one-argument-per-line goldens
   */
  public static String escape(String field, String value) {
    if (value == null) {
      throw new IllegalArgumentException(field + " is missing");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\0' || c == '\n' || c == '\r') {
        String what = c == '\0' ? "a NUL character" : "a line break";
        throw new IllegalArgumentException(field + " contains " + what + " at offset " + i
            + ", which cannot be passed to qemu: use a value without control characters");
      }
    }
    return value.replace(",", ",,");
  }

  /** A qemu id built from a guest-chosen name, checked rather than escaped: ids have no escape syntax. */
  public static String id(String field, String id) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException(field + " \"" + id + "\" cannot be a qemu id: use a letter followed by letters, digits, '-', '.' or '_'");
    }
    return id;
  }

  /** An option string whose first element is an implied value, such as a -device driver name. */
  public static QemuOptionString of(String field, String head) {
    return new QemuOptionString(escape(field, head));
  }

  /** An option string that starts with a key=value pair. */
  public static QemuOptionString keyed(String key, String value, String field) {
    return new QemuOptionString(key + "=" + escape(field, value));
  }

  public QemuOptionString set(String key, String value, String field) {
    text.append(',').append(key).append('=').append(escape(field, value));
    return this;
  }

  public QemuOptionString set(String key, String value) {
    return set(key, value, key);
  }

  public QemuOptionString set(String key, int value) {
    return set(key, Integer.toString(value));
  }

  public QemuOptionString on(String key) {
    return set(key, "on");
  }

  public QemuOptionString off(String key) {
    return set(key, "off");
  }

  @Override
  public String toString() {
    return text.toString();
  }
}
