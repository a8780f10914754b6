package io.kvmguest.standalone.apiserver;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PfxOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The embedded API's TLS certificate: self-signed for 127.0.0.1 and localhost, kept with its key in the state dir
 * (PKCS#12, mode 0600) and written into the kubeconfig as the CA to trust. TLS is there because kubectl (client-go)
 * sends a bearer token only over TLS; it also keeps the token off anything that can watch loopback traffic.
 */
final class ServingCertificate {
  private static final String ALIAS = "api";
  // The file's 0600 mode protects the key; PKCS#12 only wants some password.
  private static final char[] STORE_PASSWORD = "kvmguest-standalone".toCharArray();
  private static final Duration LIFETIME = Duration.ofDays(3650);
  /** A certificate this close to its end is replaced at start rather than left to expire under a running API. */
  private static final Duration RENEW_BEFORE = Duration.ofDays(30);
  private final byte[] pkcs12;
  private final X509Certificate certificate;

  private ServingCertificate(byte[] pkcs12, X509Certificate certificate) {
    this.pkcs12 = pkcs12;
    this.certificate = certificate;
  }

  /** The certificate saved in file if it is still good and private, else a new one saved there. */
  static ServingCertificate loadOrCreate(Path file, String ip) {
    try {
      if (Files.isRegularFile(file) && PrivateFiles.ownerOnly(file)) {
        ServingCertificate saved = read(Files.readAllBytes(file));
        if (saved.certificate.getNotAfter().toInstant().isAfter(Instant.now().plus(RENEW_BEFORE))) {
          return saved;
        }
      }
      ServingCertificate fresh = create(ip);
      PrivateFiles.write(file, fresh.pkcs12, "the API's TLS key");
      return fresh;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the API's TLS key " + file, e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot make the API's TLS certificate: " + e.getMessage(), e);
    }
  }

  /** The key and certificate for the HTTPS server. */
  PfxOptions keyCertOptions() {
    return new PfxOptions().setValue(Buffer.buffer(pkcs12)).setPassword(new String(STORE_PASSWORD));
  }

  /** The certificate in PEM: what clients trust (kubeconfig certificate-authority-data, fabric8 caCertData). */
  String pem() {
    try {
      String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded());
      return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@link #pem()} in base64, the form kubeconfig's certificate-authority-data and fabric8's caCertData take. */
  String pemBase64() {
    return Base64.getEncoder().encodeToString(pem().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  private static ServingCertificate create(String ip) throws GeneralSecurityException, OperatorCreationException, IOException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    KeyPair keys = generator.generateKeyPair();
    X500Name name = new X500Name("CN=" + Kubeconfig.NAME);
    Instant now = Instant.now();
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, new BigInteger(127, new SecureRandom()),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(LIFETIME)), name, keys.getPublic());
    builder.addExtension(Extension.subjectAlternativeName, false,
        new GeneralNames(new GeneralName[] {new GeneralName(GeneralName.iPAddress, ip), new GeneralName(GeneralName.dNSName, "localhost")}));
    builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign));
    builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    X509Certificate certificate = new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    return new ServingCertificate(store(keys.getPrivate(), certificate), certificate);
  }

  private static byte[] store(PrivateKey key, X509Certificate certificate) throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry(ALIAS, key, STORE_PASSWORD, new Certificate[] {certificate});
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    store.store(out, STORE_PASSWORD);
    return out.toByteArray();
  }

  private static ServingCertificate read(byte[] pkcs12) throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(new ByteArrayInputStream(pkcs12), STORE_PASSWORD);
    return new ServingCertificate(pkcs12, (X509Certificate) store.getCertificate(ALIAS));
  }
}
