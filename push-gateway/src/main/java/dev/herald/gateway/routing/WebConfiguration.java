package dev.herald.gateway.routing;

import dev.herald.auth.UserTokens;
import dev.herald.support.ApiDocuments;
import dev.herald.support.Authentication;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** The REST side of the gateway is for end users: a user token is required. */
@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

    private final UserTokens tokens;

    WebConfiguration(UserTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(Authentication.userTokens(tokens)).addPathPatterns("/v1/**");
    }

    /** docs/api/push-gateway.openapi.yaml at /v3/api-docs; Swagger UI at /swagger-ui/ in development only. */
    @Bean
    ApiDocuments apiDocuments(@Value("${herald.dev.enabled:false}") boolean dev) {
        return new ApiDocuments("push-gateway", dev);
    }
}
