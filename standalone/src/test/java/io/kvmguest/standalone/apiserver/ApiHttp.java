package io.kvmguest.standalone.apiserver;

import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A plain java.net.http client that trusts the embedded API's certificate (and nothing else) and sends no token. */
final class ApiHttp {
  private ApiHttp() {
  }

  static HttpClient client(EmbeddedApiServer server) {
    try {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      trusted.setCertificateEntry("api", CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(server.certificatePem().getBytes(StandardCharsets.US_ASCII))));
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, trust.getTrustManagers(), null);
      return HttpClient.newBuilder().sslContext(tls).build();
    } catch (Exception e) {
      throw new IllegalStateException("cannot trust the API's certificate", e);
    }
  }
}
