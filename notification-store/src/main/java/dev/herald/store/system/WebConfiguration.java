package dev.herald.store.system;

import dev.herald.auth.ApiKeys;
import dev.herald.auth.ApiKeys.Scope;
import dev.herald.auth.UserTokens;
import dev.herald.support.ApiDocuments;
import dev.herald.support.Authentication;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * {@code /v1/me/**} is for end users (their token names them); {@code /v1/users/**} for services with
 * the read scope; {@code /v1/channels/**} for either (a user only for the channels their token grants).
 */
@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

    private final ApiKeys apiKeys;
    private final UserTokens userTokens;

    WebConfiguration(ApiKeys apiKeys, UserTokens userTokens) {
        this.apiKeys = apiKeys;
        this.userTokens = userTokens;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(Authentication.userTokens(userTokens)).addPathPatterns("/v1/me/**");
        registry.addInterceptor(Authentication.apiKeys(apiKeys, Scope.READ)).addPathPatterns("/v1/users/**");
        registry.addInterceptor(Authentication.apiKeyOrUserToken(apiKeys, Scope.READ, userTokens))
                .addPathPatterns("/v1/channels/**");
    }

    /** docs/api/notification-store.openapi.yaml at /v3/api-docs; Swagger UI at /swagger-ui/ in development only. */
    @Bean
    ApiDocuments apiDocuments(@Value("${herald.dev.enabled:false}") boolean dev) {
        return new ApiDocuments("notification-store", dev);
    }
}
