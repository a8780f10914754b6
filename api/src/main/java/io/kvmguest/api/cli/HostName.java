package io.kvmguest.api.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * This machine's host name, the default node name. The kernel's name, not a DNS lookup: in a
 * container or a network namespace the name often does not resolve, and that must not stop a
 * program that was told its node name anyway.
 */
public final class HostName {
  private HostName() {}

  public static String local() {
    try {
      // readAllLines: a plain read of some /proc/sys files returns only their first byte here
      List<String> lines = Files.readAllLines(Path.of("/proc/sys/kernel/hostname"));
      if (!lines.isEmpty() && !lines.get(0).isBlank()) {
        return lines.get(0).strip();
      }
    } catch (IOException e) {
      // not Linux: ask the resolver
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
