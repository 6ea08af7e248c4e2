package org.pumpcds.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

public record Discovery(@JsonInclude(JsonInclude.Include.ALWAYS) List<ServiceEntry> services) {
}
