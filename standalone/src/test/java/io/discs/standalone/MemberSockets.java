package io.discs.standalone;

import io.discs.platform.cluster.MemberCredentials;
import io.vertx.core.net.PfxOptions;
import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS sockets for tests that speak to a cluster's internal listener by hand: as a member (the
 * cluster's certificates, made from its secret as a node makes them) or as a stranger who trusts
 * anything and has no certificate to show.
 */
final class MemberSockets {
  private MemberSockets() {}

  static SSLContext member(MemberCredentials member) throws Exception {
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store(member.certificates().keyCertOptions()), password(member));
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store(member.certificates().trustOptions()));
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
    return context;
  }

  /** No certificate of its own, and believes any server: what a host off the cluster can do. */
  static SSLContext stranger() throws Exception {
    TrustManager trustAll =
        new X509TrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] chain, String type) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String type) {}

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        };
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {trustAll}, null);
    return context;
  }

  static Socket connect(SSLContext context, String host, int port) throws Exception {
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(host, port);
    socket.startHandshake();
    return socket;
  }

  private static KeyStore store(PfxOptions pfx) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(
        new ByteArrayInputStream(pfx.getValue().getBytes()), pfx.getPassword().toCharArray());
    return store;
  }

  private static char[] password(MemberCredentials member) {
    return member.certificates().keyCertOptions().getPassword().toCharArray();
  }
}
