package dev.herald.producer.system;

import dev.herald.auth.ApiKeys;
import dev.herald.support.Authentication;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Every producer-api endpoint is for services: an API key is required. */
@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

    private final ApiKeys apiKeys;

    WebConfiguration(ApiKeys apiKeys) {
        this.apiKeys = apiKeys;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(Authentication.apiKeys(apiKeys)).addPathPatterns("/v1/**");
    }
}
