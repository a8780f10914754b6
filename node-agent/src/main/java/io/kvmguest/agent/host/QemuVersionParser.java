package io.kvmguest.agent.host;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the version number from {@code qemu-system-x86_64 -version} output. */
public final class QemuVersionParser {
  private QemuVersionParser() {}

  private static final Pattern VERSION = Pattern.compile("QEMU emulator version (\\d+\\.\\d+(?:\\.\\d+)?)");

  /** For example 7.2.22 from "QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)". */
  public static Optional<String> parse(String output) {
    Matcher matcher = VERSION.matcher(output);
    return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
  }
}
