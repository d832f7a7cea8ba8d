package dev.herald.producer.system;

import dev.herald.auth.ApiKeys;
import dev.herald.auth.ApiKeys.Scope;
import dev.herald.support.ApiDocuments;
import dev.herald.support.Authentication;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Every producer-api endpoint under /v1 is for services: an API key with the right scope; refusals are counted. */
@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

    private final ApiKeys apiKeys;
    private final IngestMetrics metrics;

    WebConfiguration(ApiKeys apiKeys, IngestMetrics metrics) {
        this.apiKeys = apiKeys;
        this.metrics = metrics;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(metrics).addPathPatterns("/v1/**");
        registry.addInterceptor(Authentication.apiKeys(apiKeys, Scope.SEND)).addPathPatterns("/v1/**").excludePathPatterns("/v1/tokens");
        registry.addInterceptor(Authentication.apiKeys(apiKeys, Scope.TOKENS)).addPathPatterns("/v1/tokens");
    }

    /** docs/api/producer-api.openapi.yaml at /v3/api-docs; Swagger UI at /swagger-ui/ in development only. */
    @Bean
    ApiDocuments apiDocuments(@Value("${herald.dev.enabled:false}") boolean dev) {
        return new ApiDocuments("producer-api", dev);
    }
}
