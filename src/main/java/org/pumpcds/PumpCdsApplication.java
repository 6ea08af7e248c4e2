package org.pumpcds;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class PumpCdsApplication {

    public static void main(String[] args) {
        SpringApplication.run(PumpCdsApplication.class, args);
    }
}
