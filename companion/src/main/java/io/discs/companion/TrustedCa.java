package io.discs.companion;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS that trusts the certificates of one PEM file (a private CA, or a server's self-signed
 * certificate) instead of the JDK's public CAs: {@code --ca FILE}.
 */
final class TrustedCa {
  private TrustedCa() {}

  static SSLContext from(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int n = 0;
      for (Certificate certificate :
          CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trust.setCertificateEntry("ca-" + n++, certificate);
      }
      if (n == 0) {
        throw new CompanionException(pem + " holds no PEM certificate", 2);
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, factory.getTrustManagers(), null);
      return tls;
    } catch (CompanionException e) {
      throw e;
    } catch (Exception e) {
      throw new CompanionException("cannot use " + pem + " as a CA: " + e.getMessage(), 2);
    }
  }
}
