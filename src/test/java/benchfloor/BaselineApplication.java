package benchfloor;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The floor org.pumpcds.bench.LoadBenchmark measures the service against: the same stack (Spring Boot, Tomcat, Jackson) answering the
 * same POST by parsing the body into a JSON tree and returning no cards. Test scope, never shipped; outside
 * org.pumpcds so the service's component scan never picks it up.
 */
@SpringBootApplication(exclude = DataSourceAutoConfiguration.class)
@RestController
public class BaselineApplication {

    private final ObjectMapper json;

    BaselineApplication(ObjectMapper json) {
        this.json = json;
    }

    @PostMapping("/cds-services/{id}")
    Map<String, Object> call(@PathVariable String id, @RequestBody byte[] body) {
        JsonNode request = json.readTree(body);
        return Map.of("cards", request.isObject() ? java.util.List.of() : java.util.List.of());
    }

    public static void main(String[] args) {
        SpringApplication.run(BaselineApplication.class, args);
    }
}
