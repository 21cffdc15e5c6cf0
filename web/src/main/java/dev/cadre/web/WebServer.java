package dev.cadre.web;

import dev.cadre.broker.RequestClient;
import dev.cadre.db.JobStore;
import dev.cadre.db.NodeStore;
import dev.cadre.db.ServiceStore;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;

/** Jetty serving the REST API under /api. */
public final class WebServer implements AutoCloseable {
    public record Settings(String bind, int port, String token) {
    }

    private final Server server = new Server();
    private final ServerConnector connector;

    public WebServer(Settings settings, JobStore jobs, NodeStore nodes, ServiceStore services,
            RequestClient requests) {
        connector = new ServerConnector(server);
        connector.setHost(settings.bind());
        connector.setPort(settings.port());
        server.addConnector(connector);
        Handler api = new ApiHandler(settings.token(), jobs, nodes, services, requests);
        server.setHandler(new ContextHandler(api, "/"));
    }

    public WebServer start() throws Exception {
        server.start();
        return this;
    }

    /** The bound port; differs from the configured one when that was 0. */
    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
