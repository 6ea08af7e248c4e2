package org.pumpcds.sandbox;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Sort;
import ca.uhn.fhir.rest.api.SortOrderEnum;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.SimpleBundleProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Resource;
import org.pumpcds.terminology.CodeSystems;

/**
 * Read and search for one resource type of the sandbox. Filters are really applied ({@code patient},
 * {@code status}, {@code code}, {@code type}, {@code _sort=date|-date}); {@code _count} and paging with
 * {@code next} links come from the server's paging provider.
 */
public class SandboxResourceProvider implements IResourceProvider {

    private final Class<? extends Resource> type;
    private final SearchFields fields;
    private final SandboxStore store;

    SandboxResourceProvider(Class<? extends Resource> type, SandboxStore store) {
        this.type = type;
        this.fields = SearchFields.BY_TYPE.get(type);
        this.store = store;
    }

    @Override
    public Class<? extends IBaseResource> getResourceType() {
        return type;
    }

    @Read
    public Resource read(@IdParam IdType id) {
        return store.read(type.getSimpleName(), id.getIdPart())
                .orElseThrow(() -> new ResourceNotFoundException(id));
    }

    @Search(allowUnknownParams = true)
    public IBundleProvider search(
            @OptionalParam(name = "patient") ReferenceParam patient,
            @OptionalParam(name = "status") TokenOrListParam status,
            @OptionalParam(name = "code") TokenOrListParam code,
            @OptionalParam(name = "type") TokenOrListParam typeCode,
            @Sort SortSpec sort) {
        Stream<Resource> matches = store.all(type.getSimpleName()).stream();
        if (patient != null) {
            String wanted = patient.getIdPart();
            matches = matches.filter(r -> wanted.equals(require(fields.patient(), "patient").apply(r)));
        }
        if (status != null) {
            Function<Resource, String> statusOf = require(fields.status(), "status");
            matches = matches.filter(r -> status.getValuesAsQueryTokens().stream()
                    .anyMatch(t -> t.getValue().equals(statusOf.apply(r))));
        }
        if (code != null) {
            Function<Resource, List<CodeableConcept>> codes = require(fields.code(), "code");
            matches = matches.filter(r -> matchesAny(codes.apply(r), code));
        }
        if (typeCode != null) {
            Function<Resource, List<CodeableConcept>> types = require(fields.type(), "type");
            matches = matches.filter(r -> matchesAny(types.apply(r), typeCode));
        }
        List<IBaseResource> result = List.copyOf(sorted(matches, sort).toList());
        return new SimpleBundleProvider(result);
    }

    private Stream<Resource> sorted(Stream<Resource> matches, SortSpec sort) {
        if (sort == null) {
            return matches;
        }
        if (!"date".equals(sort.getParamName()) || fields.date() == null) {
            throw new InvalidRequestException("The sandbox sorts " + type.getSimpleName() + " only by date");
        }
        Comparator<Resource> byDate = Comparator.comparing(fields.date(), Comparator.nullsFirst(Comparator.<Date>naturalOrder()));
        return matches.sorted(sort.getOrder() == SortOrderEnum.DESC ? byDate.reversed() : byDate);
    }

    private <T> T require(T field, String parameter) {
        if (field == null) {
            throw new InvalidRequestException("The sandbox does not support " + parameter + " on " + type.getSimpleName());
        }
        return field;
    }

    private static boolean matchesAny(List<CodeableConcept> concepts, TokenOrListParam tokens) {
        for (TokenParam token : tokens.getValuesAsQueryTokens()) {
            for (CodeableConcept concept : concepts) {
                if (concept == null) {
                    continue;
                }
                boolean hit = concept.getCoding().stream().anyMatch(c -> token.getValue().equals(c.getCode())
                        && (token.getSystem() == null || token.getSystem().isEmpty()
                                || CodeSystems.canonical(token.getSystem()).equals(CodeSystems.canonical(c.getSystem()))));
                if (hit) {
                    return true;
                }
            }
        }
        return false;
    }
}
