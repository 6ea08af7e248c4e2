package org.pumpcds.preparation;


/** How numbers read on cards: concentrations in mg/mL or mcg/mL, days and temperatures without noise. */
public final class Amounts {

    private Amounts() {
    }

    public static String concentration(Double mgPerMl) {
        if (mgPerMl == null) {
            return "not stated";
        }
        return mgPerMl < 1 ? number(mgPerMl * 1000) + " mcg/mL" : number(mgPerMl) + " mg/mL";
    }

    /** Up to two decimals, trailing zeros dropped: 90, 0.25, 121.2. A value past computing with reads "not stated". */
    public static String number(double value) {
        if (!Double.isFinite(value)) {
            return "not stated";
        }
        return java.math.BigDecimal.valueOf(value).setScale(2, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    public static String days(Double days) {
        return days == null ? "not documented" : number(Math.floor(days * 10) / 10) + " days";
    }
}
