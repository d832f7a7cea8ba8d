package dev.herald.producer.dev;

import java.time.Duration;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Serves the demo page at {@code /demo/} and the browser SDK at {@code /sdk/herald.js}. The build
 * copies them from {@code clients/browser} into {@code herald-dev/} on the classpath, which is not
 * one of Spring Boot's static locations: without this dev-only configuration nothing serves them.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("herald.dev.enabled")
class DevResources implements WebMvcConfigurer {

    static final String LOCATION = "classpath:/herald-dev/";

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        CacheControl revalidate = CacheControl.maxAge(Duration.ZERO).mustRevalidate();
        registry.addResourceHandler("/demo/**").addResourceLocations(LOCATION + "demo/").setCacheControl(revalidate);
        registry.addResourceHandler("/sdk/**").addResourceLocations(LOCATION + "sdk/").setCacheControl(revalidate);
    }

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/demo", "/demo/");
        registry.addViewController("/demo/").setViewName("forward:/demo/index.html");
    }
}
