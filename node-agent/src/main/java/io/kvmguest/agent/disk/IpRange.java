package io.kvmguest.agent.disk;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 or IPv6 CIDR block such as 10.0.0.0/8 or fd00::/8; a bare address is a block of one. */
public record IpRange(InetAddress network, int prefixLength) {

  /** @throws IllegalArgumentException naming what is accepted */
  public static IpRange parse(String text) {
    String trimmed = text == null ? "" : text.trim();
    int slash = trimmed.indexOf('/');
    String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
    // Only literals: InetAddress.getByName would resolve a host name through DNS.
    if (!address.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
      throw invalid(text);
    }
    InetAddress network;
    try {
      network = InetAddress.getByName(address);
    } catch (UnknownHostException e) {
      throw invalid(text);
    }
    int bits = network.getAddress().length * 8;
    int prefix;
    try {
      prefix = slash < 0 ? bits : Integer.parseInt(trimmed.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw invalid(text);
    }
    if (prefix < 0 || prefix > bits) {
      throw invalid(text);
    }
    return new IpRange(network, prefix);
  }

  public boolean contains(InetAddress address) {
    byte[] a = address.getAddress();
    byte[] n = network.getAddress();
    if (a.length != n.length) {
      return false;
    }
    int shift = a.length * 8 - prefixLength;
    return new BigInteger(1, a).shiftRight(shift).equals(new BigInteger(1, n).shiftRight(shift));
  }

  @Override
  public String toString() {
    return network.getHostAddress() + "/" + prefixLength;
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException("\"" + text + "\" is not a CIDR block such as 10.0.0.0/8, 127.0.0.1 or fd00::/8");
  }
}
