package io.kvmguest.agent.net;

import java.util.regex.Pattern;

/**
 * An IPv4 address with a prefix length, as on a link ({@code 192.168.1.10/24}) or as a subnet
 * ({@code 10.88.0.0/24}). Parsing rejects anything else, so these strings are safe as argv values.
 */
public record Ipv4Cidr(String address, int prefixLength) {
  private static final Pattern DOTTED = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

  public Ipv4Cidr {
    toInt(address);
    if (prefixLength < 0 || prefixLength > 32) {
      throw new IllegalArgumentException("IPv4 prefix length " + prefixLength + " is not in 0..32");
    }
  }

  /** Parses {@code a.b.c.d/n}. */
  public static Ipv4Cidr parse(String text) {
    int slash = text == null ? -1 : text.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("'" + text + "' is not an IPv4 CIDR such as 10.88.0.0/24");
    }
    try {
      return new Ipv4Cidr(text.substring(0, slash), Integer.parseInt(text.substring(slash + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not an IPv4 CIDR such as 10.88.0.0/24");
    }
  }

  /** The address as an unsigned 32-bit value; rejects anything but four dotted decimals 0..255. */
  public static long toInt(String address) {
    var m = address == null ? null : DOTTED.matcher(address);
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException("'" + address + "' is not an IPv4 address such as 10.88.0.1");
    }
    long value = 0;
    for (int i = 1; i <= 4; i++) {
      int octet = Integer.parseInt(m.group(i));
      if (octet > 255) {
        throw new IllegalArgumentException("'" + address + "' is not an IPv4 address: octet " + octet + " > 255");
      }
      value = (value << 8) | octet;
    }
    return value;
  }

  public static String fromInt(long value) {
    return ((value >> 24) & 0xff) + "." + ((value >> 16) & 0xff) + "." + ((value >> 8) & 0xff) + "." + (value & 0xff);
  }

  private long mask() {
    return prefixLength == 0 ? 0 : (0xffffffffL << (32 - prefixLength)) & 0xffffffffL;
  }

  /** The subnet this address is in, e.g. {@code 10.88.0.0/24} for {@code 10.88.0.1/24}. */
  public Ipv4Cidr subnet() {
    return new Ipv4Cidr(fromInt(toInt(address) & mask()), prefixLength);
  }

  public String netmask() {
    return fromInt(mask());
  }

  public String broadcast() {
    return fromInt((toInt(address) & mask()) | (~mask() & 0xffffffffL));
  }

  public boolean contains(String ip) {
    return (toInt(ip) & mask()) == (toInt(address) & mask());
  }

  /** The n-th address of the subnet (1 = first host), as {@code address/prefix}. */
  public Ipv4Cidr host(long n) {
    long size = 1L << (32 - prefixLength);
    if (n < 0 || n >= size) {
      throw new IllegalArgumentException("host " + n + " is outside " + subnet());
    }
    return new Ipv4Cidr(fromInt((toInt(address) & mask()) + n), prefixLength);
  }

  @Override
  public String toString() {
    return address + "/" + prefixLength;
  }
}
