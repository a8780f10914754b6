package io.kvmguest.agent.runtime;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/** VNC display numbers of this node (port 5900 + n), one per guest, lowest free first. */
public final class VncDisplays {
  private final int max;
  private final Map<Integer, String> owners = new HashMap<>();

  public VncDisplays(int max) {
    this.max = max;
  }

  /** Records a display already in use (an adopted guest). */
  public synchronized void claim(int display, String uid) {
    owners.put(display, uid);
  }

  public synchronized OptionalInt allocate(String uid) {
    for (Map.Entry<Integer, String> e : owners.entrySet()) {
      if (e.getValue().equals(uid)) {
        return OptionalInt.of(e.getKey());
      }
    }
    for (int display = 0; display < max; display++) {
      if (!owners.containsKey(display)) {
        owners.put(display, uid);
        return OptionalInt.of(display);
      }
    }
    return OptionalInt.empty();
  }

  public synchronized void release(String uid) {
    owners.values().removeIf(uid::equals);
  }
}
