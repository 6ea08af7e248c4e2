package org.pumpcds.cards;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a card's frame (cards-templates/frames/) may show, typed per frame: the template lint holds each frame to its
 * record's components, so a misspelt key fails the build instead of rendering nothing.
 */
public sealed interface FrameFacts {

    /** The frame template these facts fill. */
    String frame();

    /**
     * The payer card.
     *
     * @param orders      the pump procedure/device orders, as the card names them
     * @param payer       the payer as recorded ("" when none)
     * @param defaulted   the configured default policy applied (no coverage, or no mapping for the payer)
     * @param drug        the pump drug ("" when none)
     * @param replacement the pump replaces an implanted one
     * @param excluded    resources left out of the evaluation (another patient's or no patient's)
     */
    record Coverage(String orders, String payer, boolean defaulted, String drug, boolean replacement, int excluded)
            implements FrameFacts {
        @Override
        public String frame() {
            return "coverage";
        }
    }

    /**
     * The compounding card of one pump drug order.
     *
     * @param label         the order, as the card names it
     * @param pharmacyState the dispensing pharmacy's state as recorded ("" when none)
     * @param defaulted     the configured default state's rules applied
     * @param excluded      resources left out of the evaluation
     */
    record Compounding(String label, String pharmacyState, boolean defaulted, int excluded) implements FrameFacts {
        @Override
        public String frame() {
            return "compounding";
        }
    }

    /**
     * The contraindications card of a pump order.
     *
     * @param orders   the orders, as the card names them
     * @param excluded resources left out of the evaluation
     */
    record Contraindications(String orders, int excluded) implements FrameFacts {
        @Override
        public String frame() {
            return "contraindications";
        }
    }

    /** The frame's values by component name, for the template. */
    default Map<String, Object> values() {
        Map<String, Object> values = new LinkedHashMap<>();
        for (RecordComponent component : Components.OF.get(getClass())) {
            try {
                values.put(component.getName(), component.getAccessor().invoke(this));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return values;
    }

    /** Each frame record's components, looked up once: the JVM builds them anew on every call (3% of a pump call). */
    final class Components {
        private static final ClassValue<RecordComponent[]> OF = new ClassValue<>() {
            @Override
            protected RecordComponent[] computeValue(Class<?> type) {
                return type.getRecordComponents();
            }
        };

        private Components() {
        }
    }

    /** Every frame and the names its facts give, for the template lint. */
    static Map<String, Set<String>> names() {
        return Arrays.stream(FrameFacts.class.getPermittedSubclasses()).collect(Collectors.toMap(
                type -> type.getSimpleName().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT),
                type -> Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).collect(Collectors.toSet())));
    }
}
