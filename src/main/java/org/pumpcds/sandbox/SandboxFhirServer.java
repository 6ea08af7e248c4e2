package org.pumpcds.sandbox;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.FifoMemoryPagingProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import java.util.List;
import org.hl7.fhir.r4.model.Resource;

/** HAPI's plain RESTful server over the {@link SandboxStore}: the sandbox FHIR endpoint. */
public class SandboxFhirServer extends RestfulServer {

    private final transient SandboxStore store;
    private final transient List<Class<? extends Resource>> types;

    SandboxFhirServer(FhirContext fhir, SandboxStore store, List<Class<? extends Resource>> types) {
        super(fhir);
        this.store = store;
        this.types = types;
    }

    @Override
    protected void initialize() {
        setDefaultResponseEncoding(EncodingEnum.JSON);
        FifoMemoryPagingProvider paging = new FifoMemoryPagingProvider(200);
        paging.setDefaultPageSize(50);
        paging.setMaximumPageSize(200);
        setPagingProvider(paging);
        setResourceProviders(types.stream()
                .map(t -> (ca.uhn.fhir.rest.server.IResourceProvider) new SandboxResourceProvider(t, store)).toList());
    }
}
