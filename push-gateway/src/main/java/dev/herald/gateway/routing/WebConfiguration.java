package dev.herald.gateway.routing;

import dev.herald.auth.UserTokens;
import dev.herald.support.Authentication;

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
}
