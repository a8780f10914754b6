package io.kvmguest.agent.qemu;

import java.util.ArrayList;
import java.util.List;

/**
 * A test model of how qemu's option parser splits {@code a=b,c=d}: at single commas, with
 * {@code ,,} standing for one literal comma (QemuOpts get_opt_value). Used to show escaped values
 * come back whole.
 */
final class QemuOptsModel {
  private QemuOptsModel() {}

  static List<String> split(String options) {
    List<String> parts = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (int i = 0; i < options.length(); i++) {
      char c = options.charAt(i);
      if (c == ',' && i + 1 < options.length() && options.charAt(i + 1) == ',') {
        current.append(',');
        i++;
      } else if (c == ',') {
        parts.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    parts.add(current.toString());
    return parts;
  }

  /** The value of {@code key=} in the option string, as qemu would read it. */
  static String value(String options, String key) {
    return split(options).stream()
        .filter(p -> p.startsWith(key + "="))
        .map(p -> p.substring(key.length() + 1))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + key + "= in " + options));
  }
}
