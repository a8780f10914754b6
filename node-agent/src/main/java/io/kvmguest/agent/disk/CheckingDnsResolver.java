package io.kvmguest.agent.disk;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;

/**
 * The HTTP client's only way to turn a host into addresses, so the addresses checked are exactly
 * the ones it connects to: a host whose DNS answer changes between a check and the connection
 * (DNS rebinding) cannot slip through. Every hop of a redirect chain connects through here too.
 * A host with any refused address is refused whole.
 */
final class CheckingDnsResolver implements DnsResolver {
  /** A host the policy refuses; the message says which address and why. */
  static final class RefusedAddressException extends UnknownHostException {
    RefusedAddressException(String message) {
      super(message);
    }
  }

  private final ImportAddressPolicy policy;

  CheckingDnsResolver(ImportAddressPolicy policy) {
    this.policy = policy;
  }

  @Override
  public InetAddress[] resolve(String host) throws UnknownHostException {
    InetAddress[] addresses = SystemDefaultDnsResolver.INSTANCE.resolve(host);
    for (InetAddress address : addresses) {
      Optional<String> refusal = policy.refusal(address);
      if (refusal.isPresent()) {
        throw new RefusedAddressException(host.equals(address.getHostAddress()) ? refusal.get()
            : host + " resolves to " + refusal.get());
      }
    }
    return addresses;
  }

  @Override
  public String resolveCanonicalHostname(String host) {
    // Only used for Kerberos/SPNEGO, which imports never do; no second lookup.
    return host;
  }
}
