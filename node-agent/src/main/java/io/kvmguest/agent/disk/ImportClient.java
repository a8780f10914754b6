package io.kvmguest.agent.disk;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.util.Timeout;

/**
 * GETs an import URL for {@link HttpImporter}. Every connection resolves its host through
 * {@link CheckingDnsResolver}, so the checked address is the connected one. Redirects are followed
 * here rather than by the client, at most {@value #MAX_REDIRECTS}, each hop http or https, so a
 * refusal can say which hop led where. No system proxy is used: a proxy would make the checked
 * address the proxy's.
 */
final class ImportClient implements Closeable {
  static final int MAX_REDIRECTS = 5;
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

  private final CloseableHttpClient client;

  /**
   * A response whose close drops the connection instead of reading the rest of the body: after a
   * stall, a size cap or a bad status, draining could block or read gigabytes. Imports never
   * reuse connections anyway.
   */
  record Opened(HttpGet request, CloseableHttpResponse response) implements Closeable {
    @Override
    public void close() throws IOException {
      request.cancel();
      response.close();
    }
  }

  ImportClient(ImportAddressPolicy policy, DownloadLimits limits) {
    this.client = HttpClients.custom()
        .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
            .setDnsResolver(new CheckingDnsResolver(policy))
            .setMaxConnTotal(64)
            .setMaxConnPerRoute(16)
            .build())
        .setDefaultRequestConfig(RequestConfig.custom()
            .setConnectTimeout(Timeout.ofMilliseconds(limits.connectTimeout().toMillis()))
            .setResponseTimeout(Timeout.ofMilliseconds(limits.responseTimeout().toMillis()))
            .setRedirectsEnabled(false)
            .build())
        .disableRedirectHandling()
        .disableAutomaticRetries()
        // The digest is over the bytes the server sent, as before: no transparent gunzip.
        .disableContentCompression()
        .disableCookieManagement()
        .build();
  }

  /**
   * The response of the last hop, open: the caller reads and closes it.
   *
   * @param field the source's http field, e.g. {@code spec.disks[0].image.source.http}
   */
  Opened get(URI uri, String field) throws IOException {
    URI current = uri;
    for (int hop = 0; ; hop++) {
      String where = hop == 0 ? "\"" + uri + "\"" : "\"" + uri + "\" redirects to \"" + current + "\", which";
      String scheme = String.valueOf(current.getScheme()).toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new StorageException(field + ".url: " + where + " is not an http:// or https:// address");
      }
      HttpGet request = new HttpGet(current);
      CloseableHttpResponse response;
      try {
        response = client.execute(request);
      } catch (CheckingDnsResolver.RefusedAddressException e) {
        throw new StorageException(field + ".url: " + where + " is refused: " + e.getMessage(), e);
      }
      Opened opened = new Opened(request, response);
      if (!REDIRECTS.contains(response.getCode())) {
        return opened;
      }
      Header location = response.getFirstHeader("Location");
      opened.close();
      if (location == null) {
        throw new StorageException(field + ".url: GET " + current + " answered HTTP " + response.getCode() + " without a Location");
      }
      if (hop == MAX_REDIRECTS) {
        throw new StorageException(field + ".url: \"" + uri + "\" redirects more than " + MAX_REDIRECTS + " times");
      }
      try {
        current = current.resolve(location.getValue());
      } catch (IllegalArgumentException e) {
        throw new StorageException(field + ".url: GET " + current + " redirects to an invalid address: " + e.getMessage(), e);
      }
    }
  }

  @Override
  public void close() throws IOException {
    client.close();
  }
}
