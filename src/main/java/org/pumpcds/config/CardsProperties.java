package org.pumpcds.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Cards.
 *
 * @param infoWhenAllMet an order that meets every criterion still gets one short info card (false: no card)
 */
@ConfigurationProperties("pumpcds.cards")
public record CardsProperties(@DefaultValue("true") boolean infoWhenAllMet) {
}
