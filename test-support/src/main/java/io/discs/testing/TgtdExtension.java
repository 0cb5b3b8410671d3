package io.discs.testing;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A private tgtd for one test class: started before the class's own {@code @BeforeAll} methods,
 * stopped after its {@code @AfterAll} ones. {@code @RegisterExtension static final TgtdExtension
 * tgtd = new TgtdExtension();}
 */
public final class TgtdExtension implements BeforeAllCallback, AfterAllCallback {
  private TgtDaemon daemon;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    daemon = TgtDaemon.start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (daemon != null) {
      daemon.close();
      daemon = null;
    }
  }

  /** The settings that point discs at this tgtd: the tgt backend, its control port and portal. */
  public Map<String, String> backendSettings() {
    Map<String, String> settings = new HashMap<>();
    settings.put("DISCS_ISCSI_BACKEND", "tgt");
    settings.put("DISCS_TGT_CONTROL_PORT", String.valueOf(daemon().controlPort()));
    settings.put("DISCS_ISCSI_PORTAL", daemon().portal());
    return settings;
  }

  public String portal() {
    return daemon().portal();
  }

  public int controlPort() {
    return daemon().controlPort();
  }

  public String show() throws Exception {
    return daemon().show();
  }

  public String tgtadm(String... args) throws Exception {
    return daemon().tgtadm(args);
  }

  public void restart() throws Exception {
    daemon().restart();
  }

  private TgtDaemon daemon() {
    if (daemon == null) {
      throw new IllegalStateException("tgtd runs only between beforeAll and afterAll");
    }
    return daemon;
  }
}
