package dev.cadre.broker;

/**
 * The three broker accounts: the head's own parts (admin), clients (submitter), node-runners (node).
 *
 * @param restToken the bearer token the REST API accepts
 */
public record BrokerUsers(Credentials admin, Credentials submitter, Credentials node, String restToken) {
    public static final String ROLE_ADMIN = "admin";
    public static final String ROLE_SUBMITTER = "submitter";
    public static final String ROLE_NODE = "node";

    public static BrokerUsers generate() {
        return new BrokerUsers(new Credentials("cadre-admin", Credentials.newSecret()),
                new Credentials("cadre", Credentials.newSecret()),
                new Credentials("cadre-node", Credentials.newSecret()),
                Credentials.newSecret());
    }
}
