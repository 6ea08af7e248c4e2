package org.pumpcds.knowledge;

/** A tested or labeled concentration range, both ends inclusive, in one unit. */
public record ConcentrationRange(double min, double max, String unit) {

    /** Whether a concentration in mg/mL lies in the range (with a relative tolerance for unit rounding). */
    public boolean contains(double mgPerMl) {
        double low = Concentration.toMgPerMl(min, unit).orElseThrow();
        double high = Concentration.toMgPerMl(max, unit).orElseThrow();
        double tolerance = 1e-9 * Math.max(1, Math.abs(high));
        return mgPerMl >= low - tolerance && mgPerMl <= high + tolerance;
    }

    @Override
    public String toString() {
        String low = new Concentration(min, unit).toString();
        return min == max ? low : low.substring(0, low.indexOf(' ')) + "-" + new Concentration(max, unit);
    }
}
