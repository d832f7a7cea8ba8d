package dev.herald.gateway.session;

import jakarta.servlet.ServletContext;
import jakarta.websocket.server.ServerContainer;

import dev.herald.gateway.system.GatewayProperties;

import org.springframework.stereotype.Component;
import org.springframework.web.context.ServletContextAware;

/**
 * The frame size limit, enforced by the WebSocket container itself (it closes with 1009 above it),
 * so an oversized frame is never buffered. Set directly on the container rather than through
 * Spring's {@code ServletServerContainerFactoryBean}: a factory bean that needs the gateway's
 * properties would be created during component scanning, before they exist.
 */
@Component
class WebSocketContainerLimits implements ServletContextAware {

    private final GatewayProperties properties;

    WebSocketContainerLimits(GatewayProperties properties) {
        this.properties = properties;
    }

    @Override
    public void setServletContext(ServletContext servletContext) {
        if (servletContext.getAttribute(ServerContainer.class.getName()) instanceof ServerContainer container) {
            int maxFrame = (int) properties.maxFrameSize().toBytes();
            container.setDefaultMaxTextMessageBufferSize(maxFrame);
            container.setDefaultMaxBinaryMessageBufferSize(maxFrame);
            container.setAsyncSendTimeout(properties.sendTimeout().toMillis());
        }
        else {
            throw new IllegalStateException("no WebSocket container in the servlet context");
        }
    }
}
