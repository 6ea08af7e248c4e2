package org.pumpcds.support;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what the sandbox FHIR server (playing the EHR) received: each request's URL and Authorization header. */
@Interceptor
public class RecordingInterceptor {

    public record Received(String url, String authorization) {
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void record(RequestDetails request) {
        received.add(new Received(request.getCompleteUrl(), request.getHeader("Authorization")));
    }

    public List<Received> received() {
        return List.copyOf(received);
    }
}
