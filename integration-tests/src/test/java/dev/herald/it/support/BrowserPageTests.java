package dev.herald.it.support;

import java.io.IOException;

import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.openqa.selenium.WebDriver;

/**
 * What a test class of a page in headless Chromium shares: skipped without Debian's
 * {@code chromium} and {@code chromium-driver}; the site serving its page ({@link PageServer}), the
 * browser and its driver, which a test starts and this closes after the class; {@link #serve} starts
 * the usual site: the page and its token URL.
 */
public abstract class BrowserPageTests {

    protected static HttpServer site;
    protected static Chromium chromium;
    protected static WebDriver driver;

    /**
     * Starts a site that serves {@code page} at {@code /} and a token of {@code user} at
     * {@code /herald/token} (the element's {@code token-url}), as a site's own back end would.
     */
    protected static HttpServer serve(String page, String user) throws IOException {
        HttpServer server = PageServer.create();
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/")) {
                PageServer.reply(exchange, 200, "text/html; charset=utf-8", page);
            }
            else if (path.equals("/herald/token")) {
                PageServer.reply(exchange, 200, "application/json", "{\"token\":\"" + HeraldStack.userToken(user) + "\"}");
            }
            else {
                PageServer.reply(exchange, 404, "text/plain", "");
            }
        });
        server.start();
        return server;
    }

    @BeforeAll
    static void requireChromium() {
        Chromium.assumeInstalled();
    }

    @AfterAll
    static void stop() throws IOException {
        if (chromium != null) {
            chromium.close();
            chromium = null;
        }
        if (site != null) {
            site.stop(0);
            site = null;
        }
        driver = null;
    }
}
