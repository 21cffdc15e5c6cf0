package dev.cadre.broker;

/**
 * The broker accounts: the head's own parts (admin), clients (submitter), node-runners (node), and the
 * remote-exec agent that jobs run (exec), which may only send exec requests to nodes.
 *
 * @param restToken the bearer token the REST API accepts
 */
public record BrokerUsers(Credentials admin, Credentials submitter, Credentials node, String restToken,
        Credentials exec) {
    public static final String ROLE_ADMIN = "admin";
    public static final String ROLE_SUBMITTER = "submitter";
    public static final String ROLE_NODE = "node";
    public static final String ROLE_EXEC = "exec";

    public static BrokerUsers generate() {
        return new BrokerUsers(new Credentials("cadre-admin", Credentials.newSecret()),
                new Credentials("cadre", Credentials.newSecret()),
                new Credentials("cadre-node", Credentials.newSecret()),
                Credentials.newSecret(), newExec());
    }

    private static Credentials newExec() {
        return new Credentials("cadre-exec", Credentials.newSecret());
    }

    /** Secrets kept by an older version have no exec account: this adds one. */
    public BrokerUsers withExec() {
        return exec != null ? this : new BrokerUsers(admin, submitter, node, restToken, newExec());
    }
}
