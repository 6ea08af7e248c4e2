package org.pumpcds.support;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link ApiTest} with client authentication on, trusting {@link TrustedEhr}; its subclasses share one context. */
public abstract class AuthenticatedApiTest extends ApiTest {

    @DynamicPropertySource
    static void clientAuth(DynamicPropertyRegistry registry) {
        TrustedEhr.register(registry);
    }
}
