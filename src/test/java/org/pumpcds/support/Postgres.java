package org.pumpcds.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for the tests, started by the build itself from Maven Central's binaries (no Docker):
 * one server per test JVM, stopped when it exits, and a fresh, empty database for each caller.
 */
public final class Postgres {

    private static EmbeddedPostgres server;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private Postgres() {
    }

    /** A PostgreSQL server of the caller's own, to stop (close) when a test needs the database gone. */
    public static EmbeddedPostgres newServer() {
        try {
            return EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
    }

    /** The JDBC URL of a new, empty database (user and password "postgres"). */
    public static synchronized String newDatabase(String purpose) {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("embedded PostgreSQL did not start", e);
            }
            EmbeddedPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException e) {
                    // the JVM is exiting
                }
            }));
        }
        String name = purpose.replaceAll("[^a-z0-9]", "_") + "_" + DATABASES.incrementAndGet();
        try (Connection admin = server.getPostgresDatabase().getConnection(); Statement create = admin.createStatement()) {
            create.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("database " + name + " could not be created", e);
        }
        return server.getJdbcUrl("postgres", name);
    }
}
