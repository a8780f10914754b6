package io.kvmguest.api.validation;

/**
 * The one wording of a MAC clash, used within a guest here and across guests by the operator,
 * so that users read the same message whichever check found it.
 */
public final class MacConflicts {
  private MacConflicts() {}

  /** {@code holder} names who has the MAC already: a field path, or namespace/guest plus path. */
  public static String message(String mac, String holder) {
    return "\"" + mac + "\" is already used by " + holder + ": every NIC needs its own MAC address; omit macAddress to have a unique one generated";
  }

  /** The holder text for a NIC of another guest. */
  public static String otherGuest(String namespace, String guest, String interfaceName) {
    return "interface " + interfaceName + " of VirtualGuest " + namespace + "/" + guest;
  }
}
