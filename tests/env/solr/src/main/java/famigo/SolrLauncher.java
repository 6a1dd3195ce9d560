package famigo;

import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * Starts Solr (its embedded Jetty runner) on a Solr home for tests and prints
 * "port N" once it serves; runs until killed. Port 0 picks a free port.
 */
public final class SolrLauncher {
  public static void main(String[] args) throws Exception {
    String home = args[0];
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    JettyConfig config = JettyConfig.builder().setContext("/solr").setPort(port).build();
    JettySolrRunner runner = new JettySolrRunner(home, config);
    runner.start();
    System.out.println("port " + runner.getLocalPort());
    System.out.flush();
    Thread.currentThread().join();
  }
}
