package org.pumpcds.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.pumpcds.support.Postgres;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link RuleAnalyticsContract} on real PostgreSQL, its schema migrated from an empty database by Flyway. */
class RuleAnalyticsPostgresIT extends RuleAnalyticsContract {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        String url = Postgres.newDatabase("analytics");
        registry.add("spring.datasource.url", () -> url);
    }

    @Autowired
    DataSource database;

    @Test
    void theSchemaIsMigratedFromEmpty() throws SQLException {
        List<String> applied = new ArrayList<>();
        try (Connection connection = database.getConnection();
                ResultSet rows = connection.createStatement().executeQuery(
                        "SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank")) {
            while (rows.next()) {
                applied.add(rows.getString(1) + (rows.getBoolean(2) ? "" : " failed"));
            }
            assertThat(connection.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
        }
        assertThat(applied).containsExactly("1", "2", "3");
    }

    @Test
    void feedbackPostgresCannotHoldIs400NotAnOutage() {
        // PostgreSQL text cannot hold NUL: resending would never help, so it is not a 503
        post("/cds-services/pump-order-sign/feedback", "{\"feedback\":[{\"card\":\"c-nul\",\"outcome\":\"overridden\","
                + "\"outcomeTimestamp\":\"2026-11-27T10:00:00Z\",\"overrideReason\":{\"userComment\":\"a\\u0000b\"}}]}")
                .then().statusCode(400);
    }
}
