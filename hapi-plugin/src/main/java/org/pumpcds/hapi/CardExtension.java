package org.pumpcds.hapi;

import ca.uhn.fhir.rest.api.server.cdshooks.CdsHooksExtension;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.io.IOException;
import tools.jackson.databind.JsonNode;

/**
 * A card's {@code extension} (its findings and card kind) for HAPI's own Jackson 2 mapper. Written as the raw JSON
 * the engine produced: the plug-in's Jackson annotations are relocated with its Jackson 3, so the host's mapper is
 * given a serializer, not annotations it would not see.
 */
@JsonSerialize(using = CardExtension.Writer.class)
final class CardExtension extends CdsHooksExtension {

    private final String json;

    CardExtension(JsonNode extension) {
        this.json = extension.toString();
    }

    static final class Writer extends JsonSerializer<CardExtension> {
        @Override
        public void serialize(CardExtension value, JsonGenerator generator, SerializerProvider serializers) throws IOException {
            generator.writeRawValue(value.json);
        }
    }
}
