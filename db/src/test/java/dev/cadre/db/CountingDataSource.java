package dev.cadre.db;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A real SQLite data source that counts what its connections are asked to do: statements prepared, SQL statements
 * run (each row of a batch is one), and transaction boundaries. Counting the work per job keeps the write path's
 * cost from creeping back without a benchmark.
 */
final class CountingDataSource implements DataSource {
    private final DataSource real;
    long prepared;
    long executed;
    /** setAutoCommit(false), commit(), rollback(): each runs BEGIN or COMMIT (commit() runs both) in sqlite-jdbc. */
    long transactionCalls;

    CountingDataSource(DataSource real) {
        this.real = real;
    }

    void reset() {
        prepared = 0;
        executed = 0;
        transactionCalls = 0;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return counted(real.getConnection());
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        return counted(real.getConnection(user, password));
    }

    private Connection counted(Connection c) {
        return proxy(Connection.class, (self, m, args) -> {
            Object out = invoke(c, m, args);
            switch (m.getName()) {
                case "prepareStatement" -> {
                    prepared++;
                    return countedStatement(PreparedStatement.class, (PreparedStatement) out);
                }
                case "createStatement" -> {
                    prepared++;
                    return countedStatement(Statement.class, (Statement) out);
                }
                case "setAutoCommit" -> transactionCalls += Boolean.FALSE.equals(args[0]) ? 1 : 0;
                case "commit", "rollback" -> transactionCalls++;
                default -> {
                }
            }
            return out;
        });
    }

    private <S extends Statement> S countedStatement(Class<S> type, S s) {
        long[] batched = new long[1];
        return proxy(type, (self, m, args) -> {
            switch (m.getName()) {
                case "execute", "executeQuery", "executeUpdate", "executeLargeUpdate" -> executed++;
                case "addBatch" -> batched[0]++;
                case "executeBatch", "executeLargeBatch" -> {
                    executed += batched[0];
                    batched[0] = 0;
                }
                case "clearBatch" -> batched[0] = 0;
                default -> {
                }
            }
            return invoke(s, m, args);
        });
    }

    private static Object invoke(Object target, Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, InvocationHandler handler) {
        return (T) Proxy.newProxyInstance(CountingDataSource.class.getClassLoader(), new Class<?>[] {type}, handler);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return real.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        real.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        real.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return real.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() {
        return Logger.getGlobal();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return real.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return real.isWrapperFor(iface);
    }
}
