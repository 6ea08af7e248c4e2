package org.pumpcds.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pumpcds.api.ServiceEntry;
import org.pumpcds.prefetch.PrefetchTemplate;

/** One CDS service: what discovery advertises is what the call uses. */
public record CdsServiceDescriptor(String id, String hook, String title, String description,
        List<PrefetchTemplate> prefetch, String usageRequirements) {

    public static final String ORDER_SELECT = "order-select";
    public static final String ORDER_SIGN = "order-sign";

    /** order-select concentrates on {@code context.selections}; order-sign on every draft order. */
    public boolean scopedToSelections() {
        return ORDER_SELECT.equals(hook);
    }

    public ServiceEntry toEntry() {
        Map<String, String> templates = new LinkedHashMap<>();
        prefetch.forEach(t -> templates.put(t.key(), t.template()));
        return new ServiceEntry(hook, title, description, id, templates, usageRequirements);
    }
}
