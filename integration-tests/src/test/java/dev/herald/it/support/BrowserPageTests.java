package dev.herald.it.support;

import java.io.IOException;

import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.openqa.selenium.WebDriver;

/**
 * What a test class of a page in headless Chromium shares: skipped without Debian's
 * {@code chromium} and {@code chromium-driver}; the site serving its page ({@link PageServer}), the
 * browser and its driver, which a test starts and this closes after the class.
 */
public abstract class BrowserPageTests {

    protected static HttpServer site;
    protected static Chromium chromium;
    protected static WebDriver driver;

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
