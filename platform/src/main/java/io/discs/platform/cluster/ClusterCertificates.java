package io.discs.platform.cluster;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PfxOptions;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The TLS identity of a cluster member. The cluster's certificate authority is a P-256 key derived
 * from the cluster secret ({@link ClusterKeys}), so every node holds the same CA without a file to
 * distribute; each node makes itself a fresh key at start and a certificate from that CA. Members
 * trust only that CA and require a certificate of it from each other (mutual TLS): a host without
 * the secret can neither present one nor be believed to be a member. Host names are not checked,
 * since membership, not an address, is what is proven.
 */
public final class ClusterCertificates {
  private static final X500Name CA_NAME = new X500Name("CN=discs cluster CA");
  private static final X500Name NODE_NAME = new X500Name("CN=discs cluster member");
  // Fixed, so that each node's copy of the CA certificate carries the same name and key.
  private static final Instant CA_NOT_BEFORE = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant CA_NOT_AFTER = Instant.parse("2126-01-01T00:00:00Z");
  private static final Duration NODE_VALIDITY = Duration.ofDays(3650);
  private static final char[] STORE_PASSWORD = "discs-cluster".toCharArray();

  private final Buffer keyStore;
  private final Buffer trustStore;

  private ClusterCertificates(Buffer keyStore, Buffer trustStore) {
    this.keyStore = keyStore;
    this.trustStore = trustStore;
  }

  public static ClusterCertificates issue(ClusterKeys keys) {
    try {
      KeyPair ca = caKeyPair(keys);
      X509Certificate caCertificate =
          certificate(
              CA_NAME,
              ca.getPrivate(),
              CA_NAME,
              ca.getPublic(),
              BigInteger.ONE,
              true,
              CA_NOT_BEFORE,
              CA_NOT_AFTER);
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair node = generator.generateKeyPair();
      Instant now = Instant.now();
      X509Certificate nodeCertificate =
          certificate(
              CA_NAME,
              ca.getPrivate(),
              NODE_NAME,
              node.getPublic(),
              new BigInteger(64, new SecureRandom()).add(BigInteger.TWO),
              false,
              now.minus(Duration.ofHours(1)),
              now.plus(NODE_VALIDITY));

      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      keyStore.load(null, null);
      keyStore.setKeyEntry(
          "member",
          node.getPrivate(),
          STORE_PASSWORD,
          new X509Certificate[] {nodeCertificate, caCertificate});
      KeyStore trustStore = KeyStore.getInstance("PKCS12");
      trustStore.load(null, null);
      trustStore.setCertificateEntry("cluster-ca", caCertificate);
      return new ClusterCertificates(bytes(keyStore), bytes(trustStore));
    } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
      throw new IllegalStateException("cannot make the cluster's certificates", e);
    }
  }

  /** This member's key and certificate, for servers and clients alike. */
  public PfxOptions keyCertOptions() {
    return new PfxOptions().setValue(keyStore.copy()).setPassword(new String(STORE_PASSWORD));
  }

  /** The cluster's CA, the only one members trust of each other. */
  public PfxOptions trustOptions() {
    return new PfxOptions().setValue(trustStore.copy()).setPassword(new String(STORE_PASSWORD));
  }

  /** The CA's key: a scalar in [1, n-1] from the secret, and its public point. */
  private static KeyPair caKeyPair(ClusterKeys keys) throws GeneralSecurityException {
    X9ECParameters curve = ECNamedCurveTable.getByName("secp256r1");
    BigInteger order = curve.getN();
    BigInteger scalar =
        new BigInteger(1, keys.derive("cluster CA key", 48))
            .mod(order.subtract(BigInteger.ONE))
            .add(BigInteger.ONE);
    org.bouncycastle.math.ec.ECPoint point = curve.getG().multiply(scalar).normalize();
    AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
    parameters.init(new ECGenParameterSpec("secp256r1"));
    ECParameterSpec spec = parameters.getParameterSpec(ECParameterSpec.class);
    KeyFactory factory = KeyFactory.getInstance("EC");
    PrivateKey privateKey = factory.generatePrivate(new ECPrivateKeySpec(scalar, spec));
    PublicKey publicKey =
        factory.generatePublic(
            new ECPublicKeySpec(
                new ECPoint(
                    point.getAffineXCoord().toBigInteger(), point.getAffineYCoord().toBigInteger()),
                spec));
    return new KeyPair(publicKey, privateKey);
  }

  private static X509Certificate certificate(
      X500Name issuer,
      PrivateKey issuerKey,
      X500Name subject,
      PublicKey subjectKey,
      BigInteger serial,
      boolean authority,
      Instant notBefore,
      Instant notAfter)
      throws GeneralSecurityException, OperatorCreationException, java.io.IOException {
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            issuer, serial, Date.from(notBefore), Date.from(notAfter), subject, subjectKey);
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
    if (authority) {
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } else {
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(
          Extension.extendedKeyUsage,
          false,
          new ExtendedKeyUsage(
              new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
    }
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
  }

  private static Buffer bytes(KeyStore store) throws GeneralSecurityException, java.io.IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    store.store(out, STORE_PASSWORD);
    return Buffer.buffer(out.toByteArray());
  }
}
