package io.kvmguest.agent.host;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads device names from {@code qemu-system-x86_64 -device help} output. */
public final class QemuDeviceHelpParser {
  private QemuDeviceHelpParser() {}

  private static final String NETWORK_SECTION = "Network devices:";
  private static final Pattern NAME = Pattern.compile("^name \"([^\"]+)\"");

  /** Names listed under "Network devices:", such as e1000, rtl8139 and virtio-net-pci. */
  public static Set<String> networkDevices(String help) {
    Set<String> names = new LinkedHashSet<>();
    boolean inSection = false;
    for (String raw : help.split("\n")) {
      String line = raw.strip();
      if (line.endsWith("devices:")) {
        inSection = line.equals(NETWORK_SECTION);
        continue;
      }
      if (line.isEmpty()) {
        inSection = false;
        continue;
      }
      Matcher matcher = NAME.matcher(line);
      if (inSection && matcher.find()) {
        names.add(matcher.group(1));
      }
    }
    return names;
  }
}
