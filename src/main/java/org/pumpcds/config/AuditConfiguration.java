package org.pumpcds.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.pumpcds.audit.CardAudit;
import org.pumpcds.audit.CardAuditWriter;
import org.pumpcds.audit.PatientKey;
import org.pumpcds.audit.Retention;
import org.pumpcds.audit.RuleAnalytics;
import org.pumpcds.prefetch.FhirQueryClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The card audit (written off the request path), its retention, the analytics over it, and the query timers. */
@Configuration(proxyBeanMethods = false)
public class AuditConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AuditConfiguration.class);

    /** Closed after the web server has stopped taking calls, before the database: what is queued is written. */
    @Bean(destroyMethod = "close")
    CardAuditWriter cardAuditWriter(DataSource dataSource, AuditProperties settings, MeterRegistry meters) {
        return new CardAuditWriter(dataSource, settings.queueCapacity(), settings.retryDelay(), settings.shutdownGrace(), meters);
    }

    @Bean
    CardAudit cardAudit(CardAuditWriter writer, AuditProperties settings, Clock clock) {
        PatientKey key;
        if (settings.patientKey() == null || settings.patientKey().isBlank()) {
            log.warn("pumpcds.audit.patient-key is not set: patient hashes in the card audit are keyed for this run only");
            key = PatientKey.random();
        } else {
            key = PatientKey.of(settings.patientKey());
        }
        return new CardAudit(writer, key, clock);
    }

    @Bean
    RuleAnalytics ruleAnalytics(DataSource dataSource) {
        return new RuleAnalytics(dataSource);
    }

    /**
     * On a thread of its own: hourly, deletes audit rows and feedback past pumpcds.audit.retention; each minute, the
     * replay store's expired token ids (never on a request's thread).
     */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService auditRetention(DataSource dataSource, AuditProperties settings, Clock clock) {
        Retention retention = new Retention(dataSource);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "audit-retention");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                int deleted = retention.purgeBefore(clock.instant().minus(settings.retention()));
                if (deleted > 0) {
                    log.info("retention: {} audit and feedback rows older than {} deleted", deleted, settings.retention());
                }
            } catch (SQLException e) {
                log.warn("retention: purge failed (SQLState {}); retried in an hour", e.getSQLState());
            }
        }, 1, 60, TimeUnit.MINUTES);
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                retention.purgeExpiredTokens(clock.instant());
            } catch (SQLException e) { // a database down is reported by readiness; the next minute tries again
                log.debug("token replay purge failed (SQLState {})", e.getSQLState());
            }
        }, 1, 1, TimeUnit.MINUTES);
        return scheduler;
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** pumpcds.fhir.queries: each fallback query's time, by prefetch key (or "reference") and outcome. */
    @Bean
    FhirQueryClient.QueryTimer queryTimer(MeterRegistry meters) {
        // by query (a prefetch key, or "reference"): its failure and success timers, registered once each
        Map<String, Timer[]> timers = new ConcurrentHashMap<>();
        return (query, nanos, succeeded) -> timers.computeIfAbsent(query, key -> new Timer[] {
                queryTimer(meters, key, "failure"), queryTimer(meters, key, "success")})[succeeded ? 1 : 0]
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    private static Timer queryTimer(MeterRegistry meters, String query, String outcome) {
        return Timer.builder("pumpcds.fhir.queries").description("fallback FHIR queries to the EHR's server, all pages included")
                .tag("query", query).tag("outcome", outcome).register(meters);
    }
}
