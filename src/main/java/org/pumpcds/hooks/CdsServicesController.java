package org.pumpcds.hooks;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;
import org.pumpcds.audit.CardAudit;
import org.pumpcds.engine.CdsServiceDescriptor;
import org.pumpcds.engine.PumpServices;
import java.util.List;
import org.pumpcds.api.CdsResponse;
import org.pumpcds.api.Discovery;
import org.pumpcds.api.HookRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Discovery and service calls (CDS Hooks 2.0 sections "Discovery" and "Calling a CDS Service"). */
@RestController
@RequestMapping("/cds-services")
class CdsServicesController {

    private final HookRequestParser parser;
    private final PumpOrderService pumpOrders;
    private final CardAudit audit;
    /** By service id, then outcome: registered at start-up, so each shows (at zero) before the first call. */
    private final Map<String, Map<String, Timer>> timers = new HashMap<>();

    CdsServicesController(HookRequestParser parser, PumpOrderService pumpOrders, CardAudit audit, MeterRegistry meters) {
        this.parser = parser;
        this.pumpOrders = pumpOrders;
        this.audit = audit;
        for (CdsServiceDescriptor service : PumpServices.all()) {
            Map<String, Timer> byOutcome = new HashMap<>();
            for (String outcome : List.of("cards", "no-cards", "refused")) {
                byOutcome.put(outcome, Timer.builder("pumpcds.hook.calls")
                        .description("CDS Hooks calls, from the parsed request to the cards")
                        .tag("service", service.id()).tag("outcome", outcome).register(meters));
            }
            timers.put(service.id(), Map.copyOf(byOutcome));
        }
    }

    @GetMapping
    Discovery discovery() {
        return new Discovery(PumpServices.all().stream().map(CdsServiceDescriptor::toEntry).toList());
    }

    @PostMapping(path = "/{id}", consumes = {MediaType.APPLICATION_JSON_VALUE, "application/*+json"})
    CdsResponse call(@PathVariable String id, @RequestBody(required = false) byte[] body, HttpServletRequest http) {
        CdsServiceDescriptor service = service(id);
        HookRequest request = parser.parse(body, service);
        CallLogFilter.identify(request.hook(), request.hookInstance());
        long started = System.nanoTime();
        PumpOrderService.Outcome outcome;
        try {
            outcome = pumpOrders.call(service, request);
        } catch (RuntimeException refused) {
            time(service, "refused", started);
            throw refused;
        }
        time(service, outcome.response().cards().isEmpty() ? "no-cards" : "cards", started);
        // before the answer goes out, so no card is shown unaudited
        audit.shown(service.id(), request.hook(), request.hookInstance(), request.context().patientId(),
                outcome.response().cards());
        // one log line per call (CallLogFilter's), carrying these counts
        CallLogFilter.outcome(http, "orders=" + outcome.orders() + " pumpOrders=" + outcome.pumpOrders() + " recordResolved="
                + outcome.recordResolved() + " cards=" + outcome.response().cards().size());
        return outcome.response();
    }

    /** pumpcds.hook.calls: each call's time from parsed request to cards, by service and outcome. */
    private void time(CdsServiceDescriptor service, String outcome, long started) {
        timers.get(service.id()).get(outcome).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    CdsServiceDescriptor service(String id) {
        return PumpServices.find(id).orElseThrow(() -> new CdsRequestException(HttpStatus.NOT_FOUND, "not-found",
                List.of(new CdsRequestException.Problem("", "no CDS service with this id; GET /cds-services lists them"))));
    }
}
