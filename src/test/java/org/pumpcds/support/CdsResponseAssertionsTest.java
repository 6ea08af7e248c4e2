package org.pumpcds.support;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

/** The response checker must reject each kind of defect it exists to catch, and accept a clean response. */
class CdsResponseAssertionsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String CARD = "{\"summary\":\"S\",\"indicator\":\"info\",\"source\":{\"label\":\"L\"}";

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"cards\":[" + CARD + ",\"detail\":null}]}",
            "{\"cards\":[" + CARD + ",\"detail\":\"\"}]}",
            "{\"cards\":[" + CARD + ",\"links\":[]}]}",
            "{\"cards\":[" + CARD + ",\"extension\":{}}]}",
            "{\"cards\":[],\"systemActions\":[]}",
            "{\"cards\":[{\"summary\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\",\"indicator\":\"info\",\"source\":{\"label\":\"L\"}}]}",
            "{\"cards\":[{\"summary\":\"S\",\"indicator\":\"hard-stop\",\"source\":{\"label\":\"L\"}}]}",
            "{\"cards\":[" + CARD + ",\"suggestions\":[{\"label\":\"x\"}]}]}",
            "{\"cards\":[" + CARD + ",\"overrideReasons\":[{\"code\":\"c\",\"system\":\"s\"}]}]}",
            "{}"})
    void rejectsDefects(String response) {
        assertThatThrownBy(() -> CdsResponseAssertions.assertValidResponse(JSON.readTree(response)))
                .isInstanceOf(AssertionError.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"cards\":[]}", "{\"cards\":[" + CARD + ",\"detail\":\"**d**\"}]}"})
    void acceptsCleanResponses(String response) {
        assertThatCode(() -> CdsResponseAssertions.assertValidResponse(JSON.readTree(response))).doesNotThrowAnyException();
    }
}
