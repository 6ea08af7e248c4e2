package org.pumpcds.hooks;

import jakarta.servlet.http.HttpServletRequest;
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

    CdsServicesController(HookRequestParser parser, PumpOrderService pumpOrders) {
        this.parser = parser;
        this.pumpOrders = pumpOrders;
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
        PumpOrderService.Outcome outcome = pumpOrders.call(service, request);
        // one log line per call (CallLogFilter's), carrying these counts
        CallLogFilter.outcome(http, "orders=" + outcome.orders() + " pumpOrders=" + outcome.pumpOrders() + " recordResolved="
                + outcome.recordResolved() + " cards=" + outcome.response().cards().size());
        return outcome.response();
    }

    CdsServiceDescriptor service(String id) {
        return PumpServices.find(id).orElseThrow(() -> new CdsRequestException(HttpStatus.NOT_FOUND, "not-found",
                List.of(new CdsRequestException.Problem("", "no CDS service with this id; GET /cds-services lists them"))));
    }
}
