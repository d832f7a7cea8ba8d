package dev.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BenchOptionsTests {

    @Test
    void parsesACommandLine() {
        BenchOptions options = BenchOptions.parse(new String[] {"--mode", "max-rate", "--sessions", "2000", "--batch", "100",
                "--rates", "1000,2000", "--duration", "15s", "--gateway", "http://localhost:8082,http://127.0.0.2:8083"});

        assertThat(options.mode()).isEqualTo(BenchOptions.Mode.MAX_RATE);
        assertThat(options.sessions()).isEqualTo(2000);
        assertThat(options.batchSize()).isEqualTo(100);
        assertThat(options.rates()).containsExactly(1000.0, 2000.0);
        assertThat(options.duration()).isEqualTo(Duration.ofSeconds(15));
        assertThat(options.gatewayUrls()).hasSize(2);
    }

    @Test
    void channelModeRunsRoundsOnlyUnlessGivenARate() {
        BenchOptions rounds = BenchOptions.parse("--mode", "channel", "--sessions", "2000", "--rounds", "10");
        BenchOptions sustained = BenchOptions.parse("--mode", "channel", "--channel", "bench:load", "--rate", "20", "--duration", "30s");

        assertThat(rounds.mode()).isEqualTo(BenchOptions.Mode.CHANNEL);
        assertThat(rounds.channel()).isEqualTo("bench:fan");
        assertThat(rounds.rate()).isZero();
        assertThat(sustained.channel()).isEqualTo("bench:load");
        assertThat(sustained.rate()).isEqualTo(20);
        assertThat(BenchOptions.parse("--mode", "latency").rate()).as("other modes keep their default rate").isEqualTo(1000);
    }

    @Test
    void channelModeStaysBelowTheChannelsItsTokensGrant() {
        assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse("--mode", "channel", "--channel", "system"))
                .withMessageContaining("bench:*");
        assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse("--mode", "channel", "--channel", "bench:Fan"))
                .withMessageContaining("--channel must be");
        assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse("--mode", "channel", "--batch", "10"));
        assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse("--mode", "latency", "--rate", "0"));
    }

    @Test
    void refusesAddressesOutsideLoopback() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> BenchOptions.parse(new String[] {"--mode", "latency", "--producer", "http://10.0.0.1:8080"}))
                .withMessageContaining("127.0.0.0/8");
    }

    @Test
    void boundsSessionsRatesAndTimes() {
        assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse(new String[] {"--mode", "idle", "--sessions", "19001"}));
        assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse(new String[] {"--mode", "latency", "--duration", "11m"}));
        assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse(new String[] {"--mode", "latency", "--rate", "0"}));
    }
}
